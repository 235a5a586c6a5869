/** `npm start`: loads settings, opens the HTTP server and the media port, prints the URL. */
import { existsSync } from 'node:fs';
import QRCode from 'qrcode';
import { createLogger } from '../logging/logger.js';
import { type BackendSetup, buildApp } from './app.js';
import { chooseBackend } from './backend.js';
import { loadConfig } from './config.js';
import { loadCredentials } from './credentials.js';
import { lanAddresses } from './network.js';
import { loadOrCreateTls } from './tls.js';

if (existsSync('.env')) process.loadEnvFile('.env');

/** Settings that cannot work stop the start with one plain sentence, not a stack trace. */
function fail(error: unknown): never {
  process.stderr.write(`Huddle cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
function settingsOrExit<T>(read: () => T): T {
  try {
    const value = read();
    return value instanceof Promise ? (value.catch(fail) as T) : value;
  } catch (error) {
    return fail(error);
  }
}

const config = settingsOrExit(() => loadConfig(process.env, process.argv.slice(2)));
const choice = settingsOrExit(() => chooseBackend(process.env));
const logger = createLogger(config.logLevel);

function embeddedSetup(): BackendSetup {
  const loaded = settingsOrExit(() => loadCredentials(config));
  if (loaded.source === 'generated') {
    logger.info(
      { file: loaded.file },
      'generated a new API key for signing access tokens (kept in the data folder, mode 0600)',
    );
  } else {
    logger.info({ source: loaded.source, keySid: loaded.credentials.keySid }, 'API key loaded');
  }
  return { kind: 'embedded', credentials: loaded.credentials };
}

const setup: BackendSetup = choice.twilio ? { kind: 'twilio', credentials: choice.twilio } : embeddedSetup();
const listensEverywhere = ['0.0.0.0', '::'].includes(config.host);
const lan = listensEverywhere ? lanAddresses() : [];
let tls: { cert: string; key: string } | undefined;
if (config.https.enabled) {
  const files = await settingsOrExit(() =>
    loadOrCreateTls({ ...config.https, dataDir: config.dataDir, addresses: lan }),
  );
  tls = files;
  logger.info(
    { source: files.source, file: files.file },
    files.source === 'given' ? 'HTTPS with the given certificate' : 'HTTPS with a self-signed certificate',
  );
}

const { app, sfu, drain } = await buildApp(config, setup, logger, tls).catch(fail);
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const scheme = tls ? 'https' : 'http';
const urlFor = (host: string) => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
const url = urlFor(listensEverywhere ? 'localhost' : config.host);
const udpPorts =
  config.workers > 1 ? `${config.rtc.port}-${config.rtc.port + config.workers - 1}` : String(config.rtc.port);
const backendLine = sfu ? `embedded SFU, media on UDP ${udpPorts}` : 'on Twilio Programmable Video';
logger.info(
  { url, lan: lan.map(urlFor), backend: setup.kind, ...(sfu ? { rtcPort: config.rtc.port } : {}) },
  'Huddle is running',
);
process.stdout.write(`\nHuddle is running at ${url}  (${backendLine})\n`);
if (lan.length > 0) {
  process.stdout.write(`On your network: ${lan.map(urlFor).join('  ')}\n`);
  if (tls) {
    // A phone joins by scanning this; it will ask once to accept the self-signed certificate.
    process.stdout.write(
      `Scan to join from a phone:\n${await QRCode.toString(urlFor(lan[0]!), { type: 'terminal', small: true })}`,
    );
  } else {
    process.stdout.write('Phones need HTTPS for the camera: start with --https (or HUDDLE_HTTPS=1).\n');
  }
}
process.stdout.write('\n');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: telling participants, draining rooms');
  await drain();
  await app.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
