/** `npm start`: loads settings, opens the HTTP server and the media port, prints the URL. */
import { existsSync } from 'node:fs';
import { buildApp, type BackendSetup } from './app.js';
import { chooseBackend } from './backend.js';
import { loadConfig } from './config.js';
import { loadCredentials } from './credentials.js';
import { createLogger } from './logger.js';

if (existsSync('.env')) process.loadEnvFile('.env');

/** Settings that cannot work stop the start with one plain sentence, not a stack trace. */
function settingsOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    process.stderr.write(`Huddle cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

const config = settingsOrExit(() => loadConfig());
const choice = settingsOrExit(() => chooseBackend(process.env));
const logger = createLogger(config.logLevel);

function embeddedSetup(): BackendSetup {
  const loaded = settingsOrExit(() => loadCredentials(config));
  if (loaded.source === 'generated') {
    logger.info({ file: loaded.file }, 'generated a new API key for signing access tokens (kept in the data folder, mode 0600)');
  } else {
    logger.info({ source: loaded.source, keySid: loaded.credentials.keySid }, 'API key loaded');
  }
  return { kind: 'embedded', credentials: loaded.credentials };
}

const setup: BackendSetup = choice.twilio ? { kind: 'twilio', credentials: choice.twilio } : embeddedSetup();
const { app, sfu, drain } = await buildApp(config, setup, logger);
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shownHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
const udpPorts = config.workers > 1 ? `${config.rtc.port}-${config.rtc.port + config.workers - 1}` : String(config.rtc.port);
const backendLine = sfu ? `embedded SFU, media on UDP ${udpPorts}` : 'on Twilio Programmable Video';
logger.info({ url, backend: setup.kind, ...(sfu ? { rtcPort: config.rtc.port } : {}) }, 'Huddle is running');
process.stdout.write(`\nHuddle is running at ${url}  (${backendLine})\n\n`);

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
