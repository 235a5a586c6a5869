/**
 * HTTP hardening: the page's policy lets it reach this server only, plain HTTP sends no HSTS, odd
 * URLs keep the one error shape, host names the server does not know are not answered (DNS
 * rebinding), and pages elsewhere can neither mint tokens nor open the signalling socket.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp } from '../helpers/in-process';

let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  ({ app } = await buildTestApp({
    HUDDLE_ALLOWED_HOSTS: 'huddle.example.com,.example.org',
    HUDDLE_ALLOWED_ORIGINS: 'https://app.example.net',
  }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());

const login = (headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/login', headers, payload: JSON.stringify({ username: 'Ann' }) });

/** Opens /signal with these headers; resolves with the HTTP status the upgrade got (101 when it opened). */
function upgrade(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/signal`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', () => resolve(0));
  });
}

describe('HTTP under attack', () => {
  it('the page may connect only to this server, and plain HTTP sends no HSTS', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/connect-src[^;]*\bws:/);
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('odd URLs and unknown paths get the one error shape', async () => {
    for (const url of ['/%c0%ae', '/nothing-here', '/login/%00']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(Object.keys(answer.json()).sort(), url).toEqual(expect.arrayContaining(['code', 'message']));
    }
  });
});

describe('host names (DNS rebinding)', () => {
  it('a name the server does not know gets 421 HOST_NOT_ALLOWED on the page, /login and /signal', async () => {
    for (const url of ['/', '/room/x', '/sdk/huddle-video.js', '/healthz']) {
      const answer = await app.inject({ method: 'GET', url, headers: { host: 'evil.example:3000' } });
      expect(answer.statusCode, url).toBe(421);
      expect(answer.json().code, url).toBe('HOST_NOT_ALLOWED');
      expect(answer.json().message).toContain('HUDDLE_ALLOWED_HOSTS');
    }
    const rebound = await login({ host: 'evil.example', origin: 'http://evil.example' });
    expect(rebound.statusCode).toBe(421);
    expect(await upgrade({ host: 'evil.example', origin: 'http://evil.example' })).toBe(421);
  });

  it('addresses, localhost, this machine and the allowed names are answered', async () => {
    for (const host of [
      '127.0.0.1:3000',
      '192.168.1.20',
      '[::1]:3000',
      'localhost:3000',
      'call.localhost',
      'huddle.example.com',
      'HUDDLE.example.com.',
      'a.b.example.org',
    ]) {
      const answer = await app.inject({ method: 'GET', url: '/', headers: { host } });
      expect(answer.statusCode, host).toBe(200);
    }
    expect(
      (await app.inject({ method: 'GET', url: '/', headers: { host: 'example.org.evil.example' } })).statusCode,
    ).toBe(421);
  });
});

describe('origins', () => {
  it('a page elsewhere cannot mint a token, even with a text/plain body that needs no preflight', async () => {
    const answer = await login({ host: 'localhost:3000', origin: 'http://evil.example', 'content-type': 'text/plain' });
    expect(answer.statusCode).toBe(403);
    expect(answer.json().code).toBe('ORIGIN_NOT_ALLOWED');
    expect(answer.body).not.toContain('token"');
    expect((await login({ host: 'localhost:3000', origin: 'null' })).statusCode).toBe(403);
    // Another port of the same host is another origin.
    expect((await login({ host: 'localhost:3000', origin: 'http://localhost:8080' })).statusCode).toBe(403);
  });

  it('the page’s own origin, an allowed origin, and programs that send none may', async () => {
    const allowed: Record<string, string>[] = [
      { host: 'localhost:3000', origin: 'http://localhost:3000', 'content-type': 'text/plain' },
      { host: 'huddle.example.com', origin: 'https://huddle.example.com' },
      { host: 'localhost:3000', origin: 'https://app.example.net' },
      { host: 'localhost:3000' },
    ];
    for (const headers of allowed) {
      const answer = await login(headers);
      expect(answer.statusCode, JSON.stringify(headers)).toBe(200);
      expect(answer.json().token).toBeTruthy();
    }
  });

  it('the signalling socket refuses a page elsewhere before it opens, and opens for its own', async () => {
    const host = new URL(base).host;
    expect(await upgrade({ origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade({ origin: `http://${host}` })).toBe(101);
    expect(await upgrade({ origin: 'https://app.example.net' })).toBe(101);
    expect(await upgrade({})).toBe(101);
  });
});
