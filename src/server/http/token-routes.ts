/** Every endpoint that mints tokens, in one encapsulated plugin: only these read any content type as text. */
import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { loginRoute } from './login.js';
import { sampleTokenRoutes } from './sample-tokens.js';
import { LOGIN_BODY_LIMIT, type TokenRouteOptions } from './token-request.js';

export async function tokenRoutes(app: FastifyInstance, options: TokenRouteOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: LOGIN_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  // Pages on the allowed origins (HUDDLE_ALLOWED_ORIGINS) may read the answers; same-origin pages
  // need no CORS, and other origins are refused by the origin guard before any route runs.
  await app.register(fastifyCors, {
    origin: (origin, done) => done(null, origin !== undefined && options.crossOrigins(origin)),
    methods: ['GET', 'POST'],
  });
  loginRoute(app, options);
  if (options.sampleTokenEndpoints) sampleTokenRoutes(app, options);
}
