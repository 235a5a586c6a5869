import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessToken } from '../../src/tokens/access-token';
import { buildTestApp, TEST_CREDENTIALS } from '../helpers/in-process';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await buildTestApp());
});
afterAll(() => app.close());

const post = (payload: string, contentType?: string) =>
  app.inject({ method: 'POST', url: '/login', payload, headers: contentType ? { 'content-type': contentType } : {} });

describe('POST /login', () => {
  it('mints a token for the name, in the default room, from a bare fetch body (text/plain)', async () => {
    const response = await post(JSON.stringify({ username: 'Alice' }), 'text/plain;charset=UTF-8');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ identity: 'Alice', room: 'My Room', backend: 'embedded' });
    const verified = await verifyAccessToken(TEST_CREDENTIALS, body.token);
    expect(verified).toMatchObject({ identity: 'Alice', room: 'My Room' });
    const claims = decodeJwt(body.token);
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('takes the room from the body, with JSON or no content type', async () => {
    for (const type of ['application/json', undefined]) {
      const response = await post(JSON.stringify({ username: 'Zoë 🎥', room: 'Stand-up ☕' }), type);
      expect(response.statusCode).toBe(200);
      expect(decodeJwt(response.json().token).grants).toEqual({ identity: 'Zoë 🎥', video: { room: 'Stand-up ☕' } });
    }
  });

  it('answers 401 with a JSON error for a missing, empty or blank username', async () => {
    for (const payload of ['{}', '{"username": ""}', '{"username": "   "}', '{"username": null}', '']) {
      const response = await post(payload, 'application/json');
      expect(response.statusCode, payload).toBe(401);
      expect(response.json(), payload).toEqual({
        code: 'USERNAME_REQUIRED',
        message: 'Enter your name before connecting',
      });
    }
  });

  it('answers 400 for names over 128 characters, and accepts exactly 128 of any script', async () => {
    const long = await post(JSON.stringify({ username: 'x'.repeat(129) }));
    expect(long.statusCode).toBe(400);
    expect(long.json()).toEqual({ code: 'NAME_INVALID', message: 'username must be at most 128 characters' });
    const longRoom = await post(JSON.stringify({ username: 'Alice', room: 'r'.repeat(129) }));
    expect(longRoom.statusCode).toBe(400);
    expect(longRoom.json().message).toBe('room must be at most 128 characters');
    expect((await post(JSON.stringify({ username: '😀'.repeat(128) }))).statusCode).toBe(200);
  });

  it('answers 400 for malformed bodies and names', async () => {
    const cases: [string, string][] = [
      ['{"username": ', 'INVALID_BODY'],
      ['[1,2]', 'INVALID_BODY'],
      ['"Alice"', 'INVALID_BODY'],
      ['{"username": 42}', 'NAME_INVALID'],
      ['{"username": "Al\\u0000ice"}', 'NAME_INVALID'],
      ['{"username": "Alice", "room": {"a": 1}}', 'NAME_INVALID'],
    ];
    for (const [payload, code] of cases) {
      const response = await post(payload, 'application/json');
      expect(response.statusCode, payload).toBe(400);
      expect(response.json().code, payload).toBe(code);
    }
  });

  it('never puts the secret in the answer', async () => {
    const response = await post(JSON.stringify({ username: 'Alice' }));
    expect(response.body).not.toContain(TEST_CREDENTIALS.keySecret);
  });

  it('answers unknown paths with a JSON 404 and the page with security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
