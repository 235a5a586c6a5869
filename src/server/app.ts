/**
 * Builds the HTTP server: the login route, the signalling WebSocket, the page and the SDK script.
 * Listening is left to the caller (main.ts, or tests on port 0).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyError } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { errorBody, ErrorTable } from '../protocol/errors.js';
import { MAX_MESSAGE_BYTES, SIGNAL_PATH } from '../protocol/messages.js';
import { mintAccessToken, type ApiCredentials } from '../tokens/access-token.js';
import { mintTwilioToken } from '../tokens/twilio-token.js';
import { MediaEngine } from '../sfu/media-engine.js';
import { RoomRegistry } from '../sfu/room-registry.js';
import { SignallingSession } from '../signalling/signalling-session.js';
import type { HuddleConfig } from './config.js';
import { HttpError } from './http/http-error.js';
import { loginRoutes, type TokenMinter } from './http/login.js';
import type { BackendKind } from './backend.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));
export const WEB_ROOT = `${DIST}web`;
export const SDK_ROOT = `${DIST}sdk`;

/** The embedded SFU; absent when calls run on Twilio. */
export interface EmbeddedSfu {
  registry: RoomRegistry;
  engine: MediaEngine;
}

export interface HuddleApp {
  app: FastifyInstance;
  backend: BackendKind;
  sfu: EmbeddedSfu | undefined;
}

export interface BackendSetup {
  kind: BackendKind;
  /** Signs the tokens: Huddle's own key (embedded) or the Twilio account's API key. */
  credentials: ApiCredentials;
}

function tokenMinter(backend: BackendSetup): TokenMinter {
  if (backend.kind === 'twilio') return (grant) => mintTwilioToken(backend.credentials, grant);
  return (grant) => mintAccessToken(backend.credentials, grant);
}

export async function buildApp(config: HuddleConfig, backend: BackendSetup, logger: Logger): Promise<HuddleApp> {
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // The signalling socket can carry a few large SDPs; anything bigger is refused by ws itself.
    bodyLimit: 64 * 1024,
  });

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send(error.body());
    if (error.statusCode === 429) return reply.code(429).send(errorBody('RATE_LIMITED', error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody('INVALID_BODY', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL'));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(ErrorTable.NOT_FOUND.status).send(errorBody('NOT_FOUND')));

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'media-src': ["'self'", 'blob:'],
        // Huddle is served over plain http on a LAN too; upgrading would break it.
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: false,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(loginRoutes, {
    backend: backend.kind,
    mint: tokenMinter(backend),
    tokenTtlSeconds: config.tokenTtlSeconds,
    rateLimitPerMinute: config.loginRateLimitPerMinute,
  });
  app.get('/info', async () => ({ backend: backend.kind }));

  const sfu = backend.kind === 'embedded' ? await embeddedSfu(app, config, backend.credentials, logger) : undefined;

  if (existsSync(WEB_ROOT)) {
    await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', wildcard: false });
    // Every room is the same single page; it reads the room from its own path.
    app.get('/room/*', (_request, reply) => reply.sendFile('index.html', WEB_ROOT));
  } else {
    logger.warn({ path: WEB_ROOT }, 'the page is not built; run npm run build');
  }
  if (existsSync(SDK_ROOT)) {
    await app.register(fastifyStatic, { root: SDK_ROOT, prefix: '/sdk/', decorateReply: false });
  }

  return { app, backend: backend.kind, sfu };
}

/** The media engine, the rooms, and the signalling WebSocket that reaches them. */
async function embeddedSfu(app: FastifyInstance, config: HuddleConfig, credentials: ApiCredentials, logger: Logger): Promise<EmbeddedSfu> {
  const log = logger.child({ module: 'sfu' });
  const engine = new MediaEngine(config.rtc, log);
  const registry = new RoomRegistry(engine, log);
  await app.register(fastifyWebsocket, { options: { maxPayload: 2 * MAX_MESSAGE_BYTES } });
  app.get(SIGNAL_PATH, { websocket: true }, (socket) => {
    new SignallingSession(socket, { credentials, registry, log: logger.child({ module: 'signalling' }) });
  });
  app.addHook('onClose', async () => registry.closeAll());
  return { registry, engine };
}
