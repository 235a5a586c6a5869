/**
 * Builds the HTTP server: the login route, the signalling WebSocket, the page and the SDK script.
 * Listening is left to the caller (main.ts, or tests on port 0).
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
  type onRequestHookHandler,
} from 'fastify';
import type { Logger } from 'pino';
import { type ErrorCode, ErrorTable, errorBody, HuddleError } from '../protocol/errors.js';
import { type BackendKind, INFO_PATH, type InfoAnswer } from '../protocol/http.js';
import { SIGNAL_PATH } from '../protocol/messages.js';
import { RoomRegistry } from '../rooms/room-registry.js';
import type { SfuService } from '../sfu/sfu-service.js';
import { WorkerPool } from '../sfu/worker-pool.js';
import { SignallingHub } from '../signalling/signalling-hub.js';
import { type ApiCredentials, mintAccessToken } from '../tokens/access-token.js';
import { mintTwilioToken } from '../tokens/twilio-token.js';
import type { HuddleConfig } from './config.js';
import { bodyDeadline } from './http/body-deadline.js';
import { answerClientError, signallingSocketError } from './http/client-errors.js';
import { capConnectionsPerAddress } from './http/connection-cap.js';
import { hostRefusalLog, onceEvery } from './http/log-limits.js';
import { allowedHosts, allowedOrigins, hostGuard, isOriginListed, originGuard } from './http/request-guard.js';
import type { TokenMinter } from './http/token-request.js';
import { tokenRoutes } from './http/token-routes.js';
import { Metrics } from './metrics.js';
import { iceServersFor } from './turn.js';
import { HUDDLE_VERSION } from './version.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));
export const WEB_ROOT = `${DIST}web`;
export const SDK_ROOT = `${DIST}sdk`;

/** The embedded SFU; absent when calls run on Twilio. */
export interface EmbeddedSfu {
  /** Worker processes, or the SFU in this process when HUDDLE_WORKERS=0. */
  service: SfuService;
  /** Every room by name: who is in it, and its rules. */
  rooms: RoomRegistry;
  hub: SignallingHub;
}

export interface HuddleApp {
  app: FastifyInstance;
  backend: BackendKind;
  sfu: EmbeddedSfu | undefined;
  metrics: Metrics;
  /** Tells every participant the server is going, drains the rooms, and stops the media workers. */
  drain(): Promise<void>;
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

export async function buildApp(
  config: HuddleConfig,
  backend: BackendSetup,
  logger: Logger,
  tls?: { cert: string; key: string },
): Promise<HuddleApp> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify takes a hop count too; its https overload types omit it.
    trustProxy: config.trustProxy as boolean | string,
    // Headers must arrive within the request deadline too; Node checks every second (30 s by default).
    ...(tls
      ? { https: { ...tls, headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 1000 } }
      : { http: { headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 1000 } }),
    clientErrorHandler: answerClientError,
    // The signalling socket can carry a few large SDPs; anything bigger is refused by ws itself.
    bodyLimit: 64 * 1024,
    // A request must arrive whole within this (bodyDeadline for bodies, which Node does not cut).
    // Upgraded signalling sockets are no longer requests, and have their own heartbeat.
    requestTimeout: config.requestTimeoutMs,
    // Every request logged let a flood fill the disk; failures are logged where they are handled.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  app.setErrorHandler((error: FastifyError | HuddleError, request, reply) => {
    if (error instanceof HuddleError) return reply.code(error.status).send(error.body());
    if (error.statusCode === 429) return reply.code(429).send(errorBody('RATE_LIMITED', error.message));
    if (error.statusCode === 403) return reply.code(403).send(errorBody('FORBIDDEN'));
    if (error.statusCode === 408) return reply.code(408).send(errorBody('REQUEST_TIMEOUT'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody('INVALID_BODY', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL'));
  });
  if (backend.kind === 'embedded') {
    // Before any hook that may refuse a request: the plugin's own hooks mark an upgrade request
    // so that a refused one has its socket closed, not left open after the answer.
    await app.register(fastifyWebsocket, {
      options: { maxPayload: 2 * config.limits.maxMessageBytes },
      errorHandler: signallingSocketError,
    });
  }
  app.addHook('onRequest', hostGuard(allowedHosts(config.allowedHosts, tls?.cert), hostRefusalLog(logger)));
  app.addHook('onRequest', bodyDeadline(config.requestTimeoutMs));
  if (!config.trustProxy) {
    capConnectionsPerAddress(
      app.server,
      config.maxHttpConnectionsPerAddress,
      onceEvery(60_000, (address) =>
        logger.warn({ address }, 'refused connections from an address over HUDDLE_MAX_HTTP_CONNECTIONS_PER_ADDRESS'),
      ),
    );
  }
  const origins = allowedOrigins(config.allowedOrigins);
  const apiOriginGuard = originGuard(origins);
  app.setNotFoundHandler((_request, reply) => reply.code(ErrorTable.NOT_FOUND.status).send(errorBody('NOT_FOUND')));

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // The embedded backend's page talks to this server only ('self' covers its ws: and wss:
        // in CSP 3); on Twilio the SDK also reaches Twilio's own hosts.
        'connect-src': backend.kind === 'embedded' ? ["'self'"] : ["'self'", 'ws:', 'wss:'],
        'media-src': ["'self'", 'blob:'],
        // Huddle is served over plain http on a LAN too; upgrading would break it.
        'upgrade-insecure-requests': null,
      },
    },
    // Over HTTPS, browsers are told to come back only over HTTPS; plain-http LAN servers say nothing.
    strictTransportSecurity: tls ? { maxAge: 31_536_000 } : false,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(tokenRoutes, {
    backend: backend.kind,
    mint: tokenMinter(backend),
    tokenTtlSeconds: config.tokenTtlSeconds,
    rateLimitPerMinute: config.loginRateLimitPerMinute,
    // Twilio hands out its own ICE servers; the embedded backend hands out the configured ones.
    ice: backend.kind === 'embedded' ? config.ice : undefined,
    originGuard: apiOriginGuard,
    crossOrigins: (origin) => isOriginListed(origin, origins),
    sampleTokenEndpoints: config.sampleTokenEndpoints,
  });
  app.get(INFO_PATH, async (): Promise<InfoAnswer> => ({ backend: backend.kind, version: HUDDLE_VERSION }));

  let metrics: Metrics | undefined;
  const sfu =
    backend.kind === 'embedded'
      ? await embeddedSfu(
          app,
          config,
          backend.credentials,
          logger,
          apiOriginGuard,
          (code) => metrics?.signallingError(code),
          () => metrics?.workerRestarted(),
        )
      : undefined;
  metrics = new Metrics({
    rooms: () => sfu?.rooms.roomCount ?? 0,
    participants: () => sfu?.rooms.participantCount ?? 0,
    takeForwardedCounts: () => sfu?.service.takeForwardedCounts() ?? { packets: 0, bytes: 0 },
  });
  let draining = false;
  app.get('/healthz', async (_request, reply) => {
    const body = {
      status: draining ? 'draining' : 'ok',
      backend: backend.kind,
      rooms: sfu?.rooms.roomCount ?? 0,
      participants: sfu?.rooms.participantCount ?? 0,
      workers: sfu?.service.describeWorkers() ?? [],
    };
    return reply.code(draining ? 503 : 200).send(body);
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics!.contentType).send(await metrics!.render()));

  if (existsSync(WEB_ROOT)) {
    await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', wildcard: false });
    // Every room is the same single page; it reads the room from its own path.
    app.get('/room/*', (_request, reply) => reply.sendFile('index.html', WEB_ROOT));
  } else {
    logger.warn({ path: WEB_ROOT }, 'the page is not built; run npm run build');
  }
  if (existsSync(SDK_ROOT)) {
    await app.register(fastifyStatic, {
      root: SDK_ROOT,
      prefix: '/sdk/',
      decorateReply: false,
      // The SDK is a public script any page may load (apps on their own origin, with or without
      // crossorigin): helmet's same-origin resource policy would block it there.
      setHeaders: (res) => {
        res.header('Cross-Origin-Resource-Policy', 'cross-origin');
        res.header('Access-Control-Allow-Origin', '*');
      },
    });
  }

  const drain = async () => {
    if (draining) return;
    draining = true;
    sfu?.hub.closeAll('SERVER_SHUTTING_DOWN');
    await sfu?.service.close();
  };
  app.addHook('onClose', drain);
  return { app, backend: backend.kind, sfu, metrics, drain };
}

/** The media workers (or the in-process SFU), and the signalling WebSocket that reaches them. */
async function embeddedSfu(
  app: FastifyInstance,
  config: HuddleConfig,
  credentials: ApiCredentials,
  logger: Logger,
  guard: onRequestHookHandler,
  onError: (code: ErrorCode) => void,
  onWorkerRestart: () => void,
): Promise<EmbeddedSfu> {
  const log = logger.child({ module: 'sfu' });
  // The main process loads no native media code unless it runs the SFU itself.
  const service: SfuService =
    config.workers === 0
      ? new (await import('../sfu/in-process-sfu.js')).InProcessSfu(config.rtc, log, config.media)
      : new WorkerPool(
          {
            count: config.workers,
            rtc: config.rtc,
            policy: config.media,
            logLevel: config.logLevel,
            cpuProfileDir: config.cpuProfileDir,
            onRestart: onWorkerRestart,
          },
          log,
        );
  // Nothing listens before media can be carried: a worker that cannot start stops the server's start.
  await service.ready();
  const rooms = new RoomRegistry(service, config.rooms);
  const hub = new SignallingHub({
    credentials,
    rooms,
    limits: config.limits,
    log: logger.child({ module: 'signalling' }),
    onError,
    iceFor: (identity) => ({
      iceServers: iceServersFor(config.ice, identity),
      iceTransportPolicy: config.ice.transportPolicy,
    }),
  });
  app.get(SIGNAL_PATH, { websocket: true, onRequest: guard }, (socket, request) => hub.accept(socket, request.ip));
  return { service, rooms, hub };
}
