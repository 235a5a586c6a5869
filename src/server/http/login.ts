/**
 * POST /login, the seed's contract: {"username", "room"?} → {"token"}. The body is parsed as JSON
 * whatever its content type, because the seed's page sends a bare fetch() body (text/plain).
 */
import type { FastifyInstance } from 'fastify';
import { LOGIN_PATH, type LoginAnswer } from '../../protocol/http.js';
import { DEFAULT_ROOM } from '../../protocol/names.js';
import { iceServersFor } from '../turn.js';
import { identityFrom, readJsonObject, roomFrom, type TokenRouteOptions } from './token-request.js';

export function loginRoute(app: FastifyInstance, options: TokenRouteOptions): void {
  app.post(
    LOGIN_PATH,
    {
      onRequest: options.originGuard,
      config: { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (request) => {
      const { username, room } = readJsonObject(request.body, '{"username": "...", "room": "..."}');
      const identity = identityFrom('username', username);
      const roomName = roomFrom('room', room, DEFAULT_ROOM);
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
