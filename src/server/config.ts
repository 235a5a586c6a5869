/**
 * Every setting Huddle reads, from one place: no other module reads the environment (media workers
 * get theirs from the main process). Values come from the environment (a `.env` file in the
 * working directory is loaded first by main.ts); README.md documents each name.
 */

import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { HuddleError } from '../protocol/errors.js';
import { MAX_MESSAGE_BYTES } from '../protocol/messages.js';
import type { RoomLimits } from '../rooms/room-registry.js';
import type { MediaEngineOptions } from '../sfu/engine/media-engine.js';
import type { MediaPolicy } from '../sfu/media-room.js';
import type { SignallingLimits } from '../signalling/signalling-session.js';
import type { IceSettings } from './turn.js';

const Port = z.coerce.number().int().min(0).max(65535);
const Flag = z
  .enum(['', '0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');
const UrlList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
  );

const EnvSchema = z.object({
  PORT: Port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  HUDDLE_DATA_DIR: z.string().min(1).default('data'),
  HUDDLE_RTC_PORT: Port.default(40000),
  HUDDLE_RTC_BIND: z.string().min(1).optional(),
  HUDDLE_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
  HUDDLE_TOKEN_TTL: z.coerce.number().int().min(60).max(86400).default(3600),
  HUDDLE_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  HUDDLE_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  HUDDLE_SEND_HANDOFF_ABOVE: z.coerce.number().int().min(0).default(30_000),
  HUDDLE_AUDIO_LAST_N: z.coerce.number().int().min(0).max(50).default(3),
  HUDDLE_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(MAX_MESSAGE_BYTES).default(MAX_MESSAGE_BYTES),
  HUDDLE_SIGNAL_RATE: z.coerce.number().int().min(1).default(50),
  HUDDLE_ROOM_CAPACITY: z.coerce.number().int().min(1).default(50),
  HUDDLE_MAX_ROOMS: z.coerce.number().int().min(1).default(1000),
  HUDDLE_RECONNECT_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  HUDDLE_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  HUDDLE_MAX_HTTP_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(256),
  HUDDLE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  HUDDLE_MEDIA_TIMEOUT_MS: z.coerce.number().int().min(500).default(30_000),
  HUDDLE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(4000),
  HUDDLE_HTTPS: Flag,
  HUDDLE_TLS_CERT: z.string().min(1).optional(),
  HUDDLE_TLS_KEY: z.string().min(1).optional(),
  HUDDLE_STUN_URLS: UrlList,
  HUDDLE_TURN_URLS: UrlList,
  HUDDLE_TURN_SECRET: z.string().min(1).optional(),
  HUDDLE_TURN_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .default(86400),
  HUDDLE_ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
  HUDDLE_TRUST_PROXY: z.string().optional(),
  HUDDLE_ALLOWED_HOSTS: UrlList,
  HUDDLE_SAMPLE_TOKEN_ENDPOINTS: z.enum(['', '0', '1', 'true', 'false']).optional(),
  HUDDLE_ALLOWED_ORIGINS: UrlList,
  HUDDLE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HUDDLE_RTC_LOG_LEVEL: z.enum(['Verbose', 'Debug', 'Info', 'Warning', 'Error']).optional(),
  HUDDLE_CPU_PROFILE_DIR: z.string().min(1).optional(),
  HUDDLE_API_KEY: z.string().min(1).optional(),
  HUDDLE_API_SECRET: z.string().min(1).optional(),
  HUDDLE_ACCOUNT: z.string().min(1).optional(),
});

export interface HuddleConfig {
  port: number;
  host: string;
  dataDir: string;
  rtc: MediaEngineOptions;
  media: MediaPolicy;
  tokenTtlSeconds: number;
  /** How long a request may take to arrive whole (ms). */
  requestTimeoutMs: number;
  /** TCP connections one address may hold open (not applied behind a proxy). */
  maxHttpConnectionsPerAddress: number;
  loginRateLimitPerMinute: number;
  /** Media worker processes; 0 runs the SFU inside the main process (tests, debugging). */
  workers: number;
  limits: SignallingLimits;
  rooms: RoomLimits;
  logLevel: string;
  /** For profiling: media workers write V8 CPU profiles here when they exit. */
  cpuProfileDir: string | undefined;
  https: { enabled: boolean; certFile: string | undefined; keyFile: string | undefined };
  ice: IceSettings;
  /** Fastify's trustProxy: true, a hop count, or addresses/CIDRs of the proxies in front. */
  trustProxy: boolean | number | string;
  /** Host names answered besides IPs, localhost, this machine's name and the certificate's (`*`: any). */
  allowedHosts: string[];
  /** Origins whose pages may use /login and /signal besides the server's own (`*`: any). */
  allowedOrigins: string[];
  /** GET/POST /token in the shape of Twilio's sample servers (on unless set to 0/false). */
  sampleTokenEndpoints: boolean;
  credentials: { keySid?: string; keySecret?: string; accountSid?: string };
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = []): HuddleConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HuddleError('CONFIG_INVALID', `Invalid setting ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.HUDDLE_DATA_DIR,
    rtc: {
      port: e.HUDDLE_RTC_PORT,
      // A server bound to one address for HTTP keeps its media on that address too.
      bindAddress: e.HUDDLE_RTC_BIND ?? (WILDCARD.has(e.HOST) || e.HOST === 'localhost' ? undefined : e.HOST),
      announcedAddress: e.HUDDLE_ANNOUNCED_ADDRESS,
      sendHandoffAbove: e.HUDDLE_SEND_HANDOFF_ABOVE,
      connectTimeoutMs: e.HUDDLE_MEDIA_TIMEOUT_MS,
      nativeLogLevel: e.HUDDLE_RTC_LOG_LEVEL,
    },
    media: { audioLastN: e.HUDDLE_AUDIO_LAST_N },
    tokenTtlSeconds: e.HUDDLE_TOKEN_TTL,
    loginRateLimitPerMinute: e.HUDDLE_LOGIN_RATE_LIMIT,
    workers: e.HUDDLE_WORKERS ?? availableParallelism(),
    limits: {
      maxMessageBytes: e.HUDDLE_MAX_MESSAGE_BYTES,
      messagesPerSecond: e.HUDDLE_SIGNAL_RATE,
      heartbeatMs: e.HUDDLE_HEARTBEAT_MS,
      // Four of the largest messages: a slow reader on a slow link is fine, one that stops reading is not.
      maxBufferedBytes: 4 * e.HUDDLE_MAX_MESSAGE_BYTES,
      maxConnectionsPerAddress: e.HUDDLE_MAX_CONNECTIONS_PER_ADDRESS,
    },
    rooms: {
      roomCapacity: e.HUDDLE_ROOM_CAPACITY,
      maxRooms: e.HUDDLE_MAX_ROOMS,
      reconnectGraceMs: e.HUDDLE_RECONNECT_GRACE_MS,
    },
    logLevel: e.HUDDLE_LOG_LEVEL,
    requestTimeoutMs: e.HUDDLE_REQUEST_TIMEOUT_MS,
    maxHttpConnectionsPerAddress: e.HUDDLE_MAX_HTTP_CONNECTIONS_PER_ADDRESS,
    cpuProfileDir: e.HUDDLE_CPU_PROFILE_DIR,
    https: {
      enabled: e.HUDDLE_HTTPS || argv.includes('--https'),
      certFile: e.HUDDLE_TLS_CERT,
      keyFile: e.HUDDLE_TLS_KEY,
    },
    ice: {
      stunUrls: e.HUDDLE_STUN_URLS,
      turnUrls: e.HUDDLE_TURN_URLS,
      turnSecret: e.HUDDLE_TURN_SECRET,
      turnTtlSeconds: e.HUDDLE_TURN_TTL,
      transportPolicy: e.HUDDLE_ICE_TRANSPORT_POLICY,
    },
    trustProxy: trustProxy(e.HUDDLE_TRUST_PROXY),
    allowedHosts: e.HUDDLE_ALLOWED_HOSTS,
    allowedOrigins: e.HUDDLE_ALLOWED_ORIGINS,
    sampleTokenEndpoints: !['0', 'false'].includes(e.HUDDLE_SAMPLE_TOKEN_ENDPOINTS ?? ''),
    credentials: { keySid: e.HUDDLE_API_KEY, keySecret: e.HUDDLE_API_SECRET, accountSid: e.HUDDLE_ACCOUNT },
  };
}
