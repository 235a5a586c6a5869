/**
 * Property-based fuzzing of the signalling endpoint while a real two-person call runs beside it:
 * thousands of malformed, oversized and out-of-order messages, each answered with a stable error
 * code; no media worker dies, and the call's video keeps advancing.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/protocol/errors';
import { type ApiCredentials, mintAccessToken } from '../../src/tokens/access-token';
import { launchChromium } from '../helpers/browser';
import { expectLiveVideoInRightTiles, join } from '../helpers/call-page';
import { writeColourY4m } from '../helpers/fake-camera';
import { type RunningServer, startServer } from '../helpers/server';
import { SignalClient } from '../helpers/signal-client';

const MAX_BYTES = 16 * 1024;
let server: RunningServer;
let signalUrl: string;
let credentials: ApiCredentials;
const browsers: Browser[] = [];
const pages: Page[] = [];
const COLOUR_OF = { Cleo: 'red', Dev: 'green' } as const;

beforeAll(async () => {
  server = await startServer({
    HUDDLE_WORKERS: '2',
    HUDDLE_SIGNAL_RATE: '1000000',
    HUDDLE_MAX_MESSAGE_BYTES: String(MAX_BYTES),
    HUDDLE_LOG_LEVEL: 'warn',
  });
  signalUrl = `${server.url.replace('http', 'ws')}/signal`;
  credentials = JSON.parse(readFileSync(joinPath(server.dataDir, 'credentials.json'), 'utf8'));
  const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-y4m-'));
  for (const [name, colour] of Object.entries(COLOUR_OF)) {
    const browser = await launchChromium({ videoFile: writeColourY4m(dir, colour) });
    browsers.push(browser);
    const page = await browser.newPage();
    await page.goto(`${server.url}/room/fuzz-call`);
    await join(page, name);
    pages.push(page);
  }
  await expectLiveVideoInRightTiles(pages[0]!, ['Dev'], COLOUR_OF);
}, 120_000);

afterAll(async () => {
  const problems = server
    .output()
    .split('\n')
    .filter((l) => /"level":(50|60)|terminate|what\(\)/.test(l));
  if (problems.length > 0)
    console.log(
      problems
        .slice(0, 20)
        .map((l) => l.slice(0, 400))
        .join('\n'),
    );
  await Promise.all(browsers.map((b) => b.close()));
  await server?.stop();
});

const KNOWN_CODES = new Set<string>(ERROR_CODES);
const token = (identity: string, room: string) => mintAccessToken(credentials, { identity, room });

/** Anything but a valid join: random text, random JSON, near-miss protocol messages, binary. */
const junk = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc
    .record(
      {
        type: fc.constantFrom('join', 'answer', 'leave', 'ping', 'offer', 'JOIN', ''),
        sdp: fc.anything(),
        token: fc.anything(),
        id: fc.anything(),
      },
      { requiredKeys: ['type'] },
    )
    .map((m) => JSON.stringify(m)),
  fc
    .record({
      type: fc.constant('join'),
      token: fc.string({ maxLength: 300 }),
      room: fc.string({ maxLength: 200 }),
      publish: fc.anything(),
    })
    .map((m) => JSON.stringify(m)),
  fc
    .integer({ min: MAX_BYTES + 1, max: 2 * MAX_BYTES - 64 })
    .map((n) => JSON.stringify({ type: 'ping', pad: 'x'.repeat(n) })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);

/** What a client that has joined might send out of order: repeated joins, garbage answers, pings. */
const afterJoin = fc.oneof(
  fc.string({ maxLength: 300 }).map((sdp) => JSON.stringify({ type: 'answer', sdp: `v=0\r\n${sdp}` })),
  fc
    .array(
      fc.constantFrom(
        'a=mid:pa',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=sendonly',
        'a=setup:active',
        'c=IN IP4 0.0.0.0',
        'a=ice-ufrag:x',
        'a=fingerprint:sha-256 00',
        'a=rtpmap:111 opus/48000/2',
        'm=video 0 RTP/AVP 96',
      ),
      { maxLength: 12 },
    )
    .map((lines) =>
      JSON.stringify({
        type: 'answer',
        sdp: ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=-', 't=0 0', ...lines, ''].join('\r\n'),
      }),
    ),
  fc.constant(JSON.stringify({ type: 'join', token: 'x', publish: { audio: true, video: true } })),
  junk,
);

describe('fuzzing the signalling endpoint beside a live call', () => {
  it('answers every malformed message before joining with one error of a known code', async () => {
    let sent = 0;
    // Batches on fresh connections: one that never joins is closed after 15 s (JOIN_TIMEOUT), by design.
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { minLength: 5, maxLength: 40 }), async (batch) => {
        const client = await new SignalClient(signalUrl).open();
        for (const payload of batch) {
          // A well-formed join is checked by the token path, which closes; the next test covers joins.
          if (
            typeof payload === 'string' &&
            /"type":"join"/.test(payload) &&
            /"publish":\{"audio":(true|false),"video":(true|false)\}/.test(payload)
          )
            continue;
          client.received.length = 0;
          client.socket.send(payload);
          sent++;
          const reply = await client.nextOf(['error', 'pong']);
          if (reply.type === 'error') expect(KNOWN_CODES.has(reply.code)).toBe(true);
        }
        client.socket.close();
        await client.closed;
      }),
      { numRuns: 300 },
    );
    expect(sent).toBeGreaterThan(2000);
    console.log(`${sent} malformed messages, each answered`);
  }, 180_000);

  it('survives out-of-order and garbage messages from joined clients', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(afterJoin, { minLength: 1, maxLength: 15 }),
        fc.boolean(),
        async (messages, publish) => {
          const client = await new SignalClient(signalUrl).open();
          client.send({
            type: 'join',
            token: await token(`fuzzer-${round++}`, 'fuzz-room'),
            room: 'fuzz-room',
            publish: { audio: publish, video: publish },
          });
          await client.next('joined');
          for (const message of messages) client.socket.send(message);
          client.send({ type: 'ping', id: 42 });
          // Fuzzed pings get their own pongs first; the connection is alive once ours comes back.
          while ((await client.next('pong')).id !== 42);
          for (const reply of client.received)
            if (reply.type === 'error') expect(KNOWN_CODES.has(reply.code)).toBe(true);
          client.socket.close();
          await client.closed;
        },
      ),
      { numRuns: 150 },
    );
  }, 180_000);

  it('survives connections that vanish at every step of a join', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.nat(20), async (step, wait) => {
        const client = await new SignalClient(signalUrl).open();
        if (step >= 1)
          client.send({
            type: 'join',
            token: await token(`ghost-${wait}`, 'fuzz-call'),
            room: 'fuzz-call',
            publish: { audio: true, video: true },
          });
        if (step >= 2) await client.next('joined');
        if (step >= 3) await client.next('offer');
        await new Promise((resolve) => setTimeout(resolve, wait));
        client.socket.terminate();
      }),
      { numRuns: 100 },
    );
  }, 180_000);

  it('kept the real call going and lost no media worker', async () => {
    await expectLiveVideoInRightTiles(pages[0]!, ['Dev'], COLOUR_OF);
    await expectLiveVideoInRightTiles(pages[1]!, ['Cleo'], COLOUR_OF);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^huddle_worker_restarts_total 0$/m);
    expect(metrics).toMatch(/^huddle_signalling_errors_total\{code="INVALID_MESSAGE"\} \d+$/m);
    expect(server.process.exitCode).toBeNull();
  }, 120_000);
});
