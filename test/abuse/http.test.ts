/**
 * HTTP hardening: the page's policy lets it reach this server only, plain HTTP sends no HSTS, odd
 * URLs keep the one error shape, host names the server does not know are not answered (DNS
 * rebinding), and pages elsewhere can neither mint tokens nor open the signalling socket.
 */

import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp } from '../helpers/in-process';

const DEADLINE_MS = 1500;
const CONNECTION_CAP = 30;

let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  ({ app } = await buildTestApp({
    HUDDLE_ALLOWED_HOSTS: 'huddle.example.com,.example.org',
    HUDDLE_ALLOWED_ORIGINS: 'https://app.example.net',
    HUDDLE_REQUEST_TIMEOUT_MS: String(DEADLINE_MS),
    HUDDLE_MAX_HTTP_CONNECTIONS_PER_ADDRESS: String(CONNECTION_CAP),
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

interface Trickler {
  socket: Socket;
  /** Everything the server wrote, and when the connection closed (ms after it opened). */
  ended: Promise<{ answer: string; afterMs: number }>;
}

/** A client that writes `head` and then one more byte every 200 ms, for as long as it is let. */
function trickle(head: string): Trickler {
  const { port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  const opened = Date.now();
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  socket.on('error', () => {});
  socket.write(head);
  const drip = setInterval(() => socket.writable && socket.write('a'), 200);
  const ended = new Promise<{ answer: string; afterMs: number }>((resolve) =>
    socket.once('close', () => {
      clearInterval(drip);
      resolve({ answer, afterMs: Date.now() - opened });
    }),
  );
  return { socket, ended };
}

const slowBody = () =>
  trickle('POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n');
const slowHeaders = () => trickle('POST /login HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');

describe('slow and many connections', () => {
  it('a body or headers trickled a byte at a time are cut at the deadline with 408 REQUEST_TIMEOUT', async () => {
    for (const attack of [slowBody(), slowHeaders()]) {
      const { answer, afterMs } = await attack.ended;
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('"code":"REQUEST_TIMEOUT"');
      // Node checks headers once a second; the body has its own timer.
      expect(afterMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(afterMs).toBeLessThan(DEADLINE_MS + 3000);
    }
  });

  it('bytes that are not HTTP get the one error shape', async () => {
    const garbage = trickle('\u0001\u0002 not http\r\n\r\n');
    const { answer } = await garbage.ended;
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"BAD_REQUEST"');
  });

  it('one address holding its cap of slow connections is refused more, and everyone else is served', async () => {
    const held = Array.from({ length: CONNECTION_CAP }, slowBody);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const over = slowBody();
    const refused = await over.ended;
    expect(refused.answer).toBe('');
    expect(refused.afterMs).toBeLessThan(1000);
    // Other addresses (inject stands in for them: it opens no connection) are served meanwhile.
    const started = Date.now();
    const answer = await login({ host: 'localhost:3000' });
    expect(answer.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    // Once the deadline cut them, the address may connect again.
    await Promise.all(held.map((h) => h.ended));
    const again = await fetch(`${base}/healthz`);
    expect(again.status).toBe(200);
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
