/**
 * Apps that are not Huddle's page: two Chromium pages on another origin load the SDK script from
 * Huddle, take tokens from its GET /token (CORS for an allowed origin), join and see each other;
 * a page on an origin not allowed is refused. Also: the token endpoints of Twilio's sample servers (the quickstart's GET /token?identity=, the
 * reference app's POST /token), the SDK served so any page may load it, and the ICE servers a
 * client gets in `joined` without ever calling /login.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { writeColourY4m } from '../../harness/fake-camera';
import { decodedVideos } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';
import { verifyAccessToken } from '../../src/tokens/access-token';
import { buildTestApp, TEST_CREDENTIALS } from '../helpers/in-process';
import { SignalClient } from '../helpers/signal-client';

let app: FastifyInstance;
let signalUrl: string;
beforeAll(async () => {
  ({ app } = await buildTestApp({
    HUDDLE_STUN_URLS: 'stun:stun.example.net:3478',
    HUDDLE_TURN_URLS: 'turn:turn.example.net:3478?transport=udp',
    HUDDLE_TURN_SECRET: 'turn-secret-for-tests',
  }));
  signalUrl = `${(await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/signal`;
});
afterAll(() => app.close());

describe("the quickstart's GET /token?identity=", () => {
  it('answers the token as text, for that identity and any room', async () => {
    const answer = await app.inject({ method: 'GET', url: '/token?identity=Ann%20Lee' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(await verifyAccessToken(TEST_CREDENTIALS, answer.body)).toMatchObject({
      identity: 'Ann Lee',
      room: undefined,
    });
  });

  it('keeps the name rules of /login', async () => {
    const missing = await app.inject({ method: 'GET', url: '/token' });
    expect([missing.statusCode, missing.json().code]).toEqual([401, 'USERNAME_REQUIRED']);
    const control = await app.inject({ method: 'GET', url: '/token?identity=Ann%1B' });
    expect([control.statusCode, control.json().code]).toEqual([400, 'NAME_INVALID']);
    const elsewhere = await app.inject({
      method: 'GET',
      url: '/token?identity=Ann',
      headers: { origin: 'http://evil.example' },
    });
    expect(elsewhere.json().code).toBe('ORIGIN_NOT_ALLOWED');
  });
});

describe("the reference app's POST /token", () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/token',
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('answers {token, room_type} for the identity and room', async () => {
    const answer = await post({ user_identity: 'Bea', room_name: 'Stand-up', create_conversation: false });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().room_type).toBe('group');
    expect(await verifyAccessToken(TEST_CREDENTIALS, answer.json().token)).toMatchObject({
      identity: 'Bea',
      room: 'Stand-up',
    });
  });

  it('refuses a Conversations chat it cannot give, saying how to build the app without it', async () => {
    const answer = await post({ user_identity: 'Bea', room_name: 'Stand-up', create_conversation: true });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('CONVERSATIONS_UNAVAILABLE');
    expect(answer.json().message).toContain('REACT_APP_DISABLE_TWILIO_CONVERSATIONS=true');
  });

  it("answers the reference app's recording rules with why they cannot apply, where the app shows it", async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/recordingrules',
      payload: { room_sid: 'RM1', rules: [{ type: 'include', all: true }] },
    });
    expect(answer.statusCode).toBe(501);
    expect(answer.json()).toMatchObject({
      code: 'RECORDING_UNAVAILABLE',
      error: { message: expect.stringContaining('does not record') },
    });
  });

  it('refuses what /login refuses', async () => {
    expect((await post({ room_name: 'x' })).json().code).toBe('USERNAME_REQUIRED');
    expect((await post({ user_identity: '\u202eevil' })).json().code).toBe('NAME_INVALID');
    expect((await post({ user_identity: 'Bea' }, { origin: 'http://evil.example' })).statusCode).toBe(403);
  });

  it('is off when HUDDLE_SAMPLE_TOKEN_ENDPOINTS=0', async () => {
    const { app: off } = await buildTestApp({ HUDDLE_SAMPLE_TOKEN_ENDPOINTS: '0' });
    expect((await off.inject({ method: 'GET', url: '/token?identity=Ann' })).statusCode).toBe(404);
    expect((await off.inject({ method: 'POST', url: '/login', payload: '{"username":"Ann"}' })).statusCode).toBe(200);
    await off.close();
  });
});

describe('apps on other origins', () => {
  it('may load the SDK script (no same-origin resource policy on /sdk/)', async () => {
    // The built server: the SDK is served from dist/sdk.
    const server = await startServer({ HUDDLE_WORKERS: '0' });
    try {
      for (const file of ['huddle-video.js', 'huddle-video.mjs']) {
        const script = await fetch(`${server.url}/sdk/${file}`, { headers: { origin: 'http://app.example.net' } });
        expect(script.status).toBe(200);
        expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
        expect(script.headers.get('access-control-allow-origin')).toBe('*');
      }
      // The page itself keeps helmet's policy.
      expect((await fetch(server.url)).headers.get('cross-origin-resource-policy')).toBe('same-origin');
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('get the STUN and TURN servers in joined, with TURN credentials for their identity', async () => {
    const client = await new SignalClient(signalUrl).open();
    const token = (await app.inject({ method: 'GET', url: '/token?identity=Cal' })).body;
    client.send({ type: 'join', token, room: 'ice', publish: { audio: false, video: false } });
    const joined = await client.next('joined');
    expect(joined.iceServers?.[0]).toEqual({ urls: ['stun:stun.example.net:3478'] });
    expect(joined.iceServers?.[1]).toMatchObject({ urls: ['turn:turn.example.net:3478?transport=udp'] });
    expect(joined.iceServers?.[1]?.username).toMatch(/:Cal$/);
    expect(joined.iceServers?.[1]?.credential).toBeTruthy();
    expect(joined.iceTransportPolicy).toBe('all');
    client.socket.close();
  });
});

describe('a page on another origin, as a migrating app', () => {
  let server: RunningServer;
  let appServer: Server;
  let appOrigin: string;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    // The app's own server: one page, nothing of Huddle's but the script tag.
    appServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><div id="videos"></div><script src="${huddleOrigin}/sdk/huddle-video.js"></script>`);
    });
    let huddleOrigin = '';
    await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://localhost:${(appServer.address() as AddressInfo).port}`;
    server = await startServer({ HUDDLE_WORKERS: '1', HUDDLE_ALLOWED_ORIGINS: appOrigin });
    huddleOrigin = server.url;
    dir = mkdtempSync(join(tmpdir(), 'huddle-origins-'));
    browser = await launchChromium({ videoFile: writeColourY4m(dir, 'blue') });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    appServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the app's page and joins as the quickstart does: GET /token?identity=, then connect. */
  async function joinFrom(origin: string, identity: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(origin === appOrigin ? `${appOrigin}/` : origin);
    await page.evaluate(
      async ({ huddle, identity }) => {
        const w = window as unknown as { Huddle: { Video: typeof import('../../src/sdk/index') }; room: unknown };
        const token = await (await fetch(`${huddle}/token?identity=${encodeURIComponent(identity)}`)).text();
        const room = await w.Huddle.Video.connect(token, { name: 'elsewhere', audio: false, video: true });
        room.on('trackSubscribed', (track) => {
          if (track.kind === 'video') document.getElementById('videos')!.appendChild(track.attach());
        });
        w.room = room;
      },
      { huddle: server.url, identity },
    );
    return page;
  }

  it('loads the SDK, gets tokens, joins and shows the other person’s video', async () => {
    const ann = await joinFrom(appOrigin, 'Ann');
    const bea = await joinFrom(appOrigin, 'Bea');
    for (const page of [ann, bea]) {
      await expect.poll(() => decodedVideos(page), { timeout: 20_000 }).toBe(1);
    }
    await ann.close();
    await bea.close();
  }, 60_000);

  it('a page on an origin not allowed can neither read a token nor join', async () => {
    // Huddle's own origin under another name is another origin: 127.0.0.1 is not localhost.
    const stranger = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><script src="${server.url}/sdk/huddle-video.js"></script>`);
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    await page.goto(`http://localhost:${(stranger.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(
      async ({ huddle, token }) => {
        const w = window as unknown as { Huddle: { Video: typeof import('../../src/sdk/index') } };
        const read = await fetch(`${huddle}/token?identity=Eve`).then(
          () => 'read',
          () => 'blocked',
        );
        // A token got some other way still does not open the signalling socket from this page.
        const joined = await w.Huddle.Video.connect(token, { name: 'elsewhere', audio: false, video: false }).then(
          () => 'joined',
          (error: { huddleCode?: string }) => `refused ${error.huddleCode}`,
        );
        return { read, joined };
      },
      { huddle: server.url, token: await server.token('Eve', 'elsewhere') },
    );
    expect(outcome.read).toBe('blocked');
    expect(outcome.joined).toMatch(/^refused /);
    await page.close();
    stranger.close();
  }, 60_000);
});
