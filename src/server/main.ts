/** `npm start`: loads settings, opens the HTTP server and the media port, prints the URL. */
import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { loadCredentials } from './credentials.js';
import { createLogger } from './logger.js';

if (existsSync('.env')) process.loadEnvFile('.env');

const config = loadConfig();
const logger = createLogger(config.logLevel);
const loaded = loadCredentials(config);
if (loaded.source === 'generated') {
  logger.info({ file: loaded.file }, 'generated a new API key for signing access tokens (kept in the data folder, mode 0600)');
} else {
  logger.info({ source: loaded.source, keySid: loaded.credentials.keySid }, 'API key loaded');
}

const { app, engine } = await buildApp(config, loaded.credentials, logger);
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shownHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
logger.info({ url, rtcPort: config.rtc.port, backend: 'embedded' }, 'Huddle is running');
process.stdout.write(`\nHuddle is running at ${url}  (embedded SFU, media on UDP ${config.rtc.port})\n\n`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await app.close();
  engine.shutdown();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
