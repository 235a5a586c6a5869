/**
 * The token endpoints of Twilio's sample servers, so their apps run on Huddle with no server code
 * of their own: the quickstart's `GET /token?identity=…` (the token as text, for any room) and the
 * reference app's `POST /token {user_identity, room_name}` (→ `{token, room_type}`). Same name
 * rules, rate limit and origin check as /login; HUDDLE_SAMPLE_TOKEN_ENDPOINTS=0 turns them off.
 * The reference app's `POST /recordingrules` is answered too, with the reason it cannot work here.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorTable, errorBody, HuddleError } from '../../protocol/errors.js';
import { SAMPLE_RECORDING_RULES_PATH, SAMPLE_TOKEN_PATH, type SampleTokenAnswer } from '../../protocol/http.js';
import { identityFrom, readJsonObject, roomFrom, type TokenRouteOptions } from './token-request.js';

export function sampleTokenRoutes(app: FastifyInstance, options: TokenRouteOptions): void {
  const route = {
    onRequest: options.originGuard,
    config: { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } },
  };
  const mint = (identity: string, room: string | undefined) =>
    options.mint({ identity, room, ttlSeconds: options.tokenTtlSeconds, now: Math.floor(Date.now() / 1000) });

  app.get(SAMPLE_TOKEN_PATH, route, async (request, reply) => {
    const { identity, room } = request.query as Record<string, unknown>;
    const token = await mint(identityFrom('identity', identity), roomFrom('room', room, undefined));
    return reply.type('text/plain; charset=utf-8').send(token);
  });

  app.post(SAMPLE_TOKEN_PATH, route, async (request): Promise<SampleTokenAnswer> => {
    const body = readJsonObject(request.body, '{"user_identity": "...", "room_name": "..."}');
    // The reference app asks for a Twilio Conversations chat unless built without it; Huddle has
    // none, and a token that pretended would only fail later, inside the app, with no reason given.
    if (body.create_conversation === true) {
      throw new HuddleError(
        'CONVERSATIONS_UNAVAILABLE',
        'Huddle has no Twilio Conversations: build the app with REACT_APP_DISABLE_TWILIO_CONVERSATIONS=true',
      );
    }
    const identity = identityFrom('user_identity', body.user_identity);
    const room = roomFrom('room_name', body.room_name, undefined);
    return { token: await mint(identity, room), room_type: 'group' };
  });

  // Huddle records nothing. The reference app shows `error.message` of the answer (Twilio's
  // server shape), so the reason is there too, beside Huddle's own code and message.
  app.post(SAMPLE_RECORDING_RULES_PATH, route, async (_request, reply) => {
    const body = errorBody('RECORDING_UNAVAILABLE');
    return reply
      .code(ErrorTable.RECORDING_UNAVAILABLE.status)
      .send({ ...body, error: { code: ErrorTable.RECORDING_UNAVAILABLE.twilio, message: body.message } });
  });
}
