/**
 * POST /login, the seed's contract: {"username", "room"?} → {"token"}. The body is parsed as JSON
 * whatever its content type, because the seed's page sends a bare fetch() body (text/plain).
 */
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { HuddleError } from '../../protocol/errors.js';
import { type BackendKind, LOGIN_PATH, type LoginAnswer } from '../../protocol/http.js';
import { DEFAULT_ROOM, NameSchema } from '../../protocol/names.js';
import { type IceSettings, iceServersFor } from '../turn.js';

export const LOGIN_BODY_LIMIT = 16 * 1024;

/** Mints an access token for the backend in use (Huddle's own key, or the Twilio library). */
export type TokenMinter = (grant: {
  identity: string;
  room: string;
  ttlSeconds: number;
  now: number;
}) => Promise<string>;

export interface LoginOptions {
  backend: BackendKind;
  mint: TokenMinter;
  tokenTtlSeconds: number;
  rateLimitPerMinute: number;
  ice: IceSettings | undefined;
  /** Refuses pages on origins not allowed to mint tokens. */
  originGuard: onRequestHookHandler;
}

const absent = (v: unknown) => v === undefined || v === null || v === '';

function readBody(raw: unknown): { username: unknown; room: unknown } {
  if (typeof raw !== 'string' || raw.trim() === '') return { username: undefined, room: undefined };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new HuddleError('INVALID_BODY', 'The body must be JSON: {"username": "...", "room": "..."}');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HuddleError('INVALID_BODY', 'The body must be a JSON object');
  }
  const { username, room } = data as Record<string, unknown>;
  return { username, room };
}

function checkName(field: string, value: unknown): string {
  const result = NameSchema.safeParse(value);
  if (result.success) return result.data;
  if (typeof value !== 'string') throw new HuddleError('NAME_INVALID', `${field} must be a string`);
  throw new HuddleError('NAME_INVALID', `${field} ${result.error.issues[0]?.message ?? 'is invalid'}`);
}

export async function loginRoutes(app: FastifyInstance, options: LoginOptions): Promise<void> {
  // Encapsulated: only this route reads any content type as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: LOGIN_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    LOGIN_PATH,
    {
      onRequest: options.originGuard,
      config: { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (request) => {
      const { username, room } = readBody(request.body);
      if (absent(username) || (typeof username === 'string' && username.trim() === '')) {
        throw new HuddleError('USERNAME_REQUIRED', 'Enter your name before connecting');
      }
      const identity = checkName('username', username);
      const roomName = absent(room) ? DEFAULT_ROOM : checkName('room', room);
      const now = Math.floor(Date.now() / 1000);
      const token = await options.mint({ identity, room: roomName, ttlSeconds: options.tokenTtlSeconds, now });
      const answer: LoginAnswer = {
        token,
        identity,
        room: roomName,
        backend: options.backend,
        expiresAt: now + options.tokenTtlSeconds,
      };
      if (options.ice) {
        answer.iceServers = iceServersFor(options.ice, identity, now);
        answer.iceTransportPolicy = options.ice.transportPolicy;
      }
      return answer;
    },
  );
}
