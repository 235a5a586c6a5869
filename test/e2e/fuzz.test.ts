/**
 * Property-based fuzzing of the signalling endpoint while a real two-person call runs beside it:
 * thousands of malformed, oversized and out-of-order messages, each answered with a stable error
 * code; no media worker dies, and the call's video keeps advancing.
 */

import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { countLine, eventually, remoteTiles } from '../../harness/call-page';
import type { RunningServer } from '../../harness/server';
import type { ErrorCode } from '../../src/protocol/errors';
import type { ServerMessage } from '../../src/protocol/messages';
import { expectLiveVideoInRightTiles } from '../helpers/expect-video';
import { SignalClient } from '../helpers/signal-client';

const MAX_BYTES = 16 * 1024;
let call: Call<'Cleo' | 'Dev'>;
let server: RunningServer;
let pages: Page[];

beforeAll(async () => {
  call = await startCall({
    server: {
      HUDDLE_WORKERS: '2',
      HUDDLE_SIGNAL_RATE: '1000000',
      HUDDLE_MAX_MESSAGE_BYTES: String(MAX_BYTES),
      HUDDLE_LOG_LEVEL: 'warn',
    },
    room: 'fuzz-call',
    people: [
      { name: 'Cleo', colour: 'red' },
      { name: 'Dev', colour: 'green' },
    ],
  });
  server = call.server;
  pages = call.pageList;
  await expectLiveVideoInRightTiles(pages[0]!, ['Dev'], call.colourOf);
}, 120_000);

afterAll(async () => {
  const problems = (server?.output() ?? '').split('\n').filter((l) => /"level":(50|60)|terminate|what\(\)/.test(l));
  if (problems.length > 0)
    console.log(
      problems
        .slice(0, 20)
        .map((l) => l.slice(0, 400))
        .join('\n'),
    );
  await call?.close();
});

/**
 * What the server must answer to one message, from docs/protocol.md (written apart from
 * src/protocol, so the check does not take the code's word for it): the size limit first, then
 * binary, then JSON, then the shape of each message type (every message is a strict object).
 */
type Verdict = ErrorCode | 'valid';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (m: Record<string, unknown>, keys: string[]) => Object.keys(m).every((k) => keys.includes(k));
const isSid = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 64;
const codePoints = (v: string) => [...v].length;
// biome-ignore lint/suspicious/noControlCharactersInRegex: names with control characters are what is refused.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: chat refuses control characters other than tab and line breaks.
const CHAT_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isName = (v: unknown) => typeof v === 'string' && v.trim() !== '' && codePoints(v) <= 128 && !CONTROL.test(v);

function isValidMessage(m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'join':
      return (
        onlyKeys(m, ['type', 'token', 'room', 'publish', 'sdk', 'resume', 'resumeSecret']) &&
        typeof m.token === 'string' &&
        m.token.length >= 1 &&
        m.token.length <= 8192 &&
        (m.room === undefined || isName(m.room)) &&
        isRecord(m.publish) &&
        onlyKeys(m.publish, ['audio', 'video']) &&
        typeof m.publish.audio === 'boolean' &&
        typeof m.publish.video === 'boolean' &&
        (m.sdk === undefined || (typeof m.sdk === 'string' && m.sdk.length <= 64)) &&
        (m.resume === undefined || (typeof m.resume === 'string' && m.resume.length <= 64)) &&
        (m.resumeSecret === undefined || (typeof m.resumeSecret === 'string' && m.resumeSecret.length <= 64))
      );
    case 'answer':
      return onlyKeys(m, ['type', 'sdp']) && typeof m.sdp === 'string' && m.sdp.length >= 1 && m.sdp.length <= 262144;
    case 'leave':
      return onlyKeys(m, ['type']);
    case 'ping':
      return onlyKeys(m, ['type', 'id']) && (m.id === undefined || Number.isSafeInteger(m.id));
    case 'chat':
      return (
        onlyKeys(m, ['type', 'text']) &&
        typeof m.text === 'string' &&
        m.text.length >= 1 &&
        m.text.length <= 2000 &&
        m.text.trim() !== '' &&
        !CHAT_CONTROL.test(m.text) &&
        !LONE_SURROGATE.test(m.text)
      );
    case 'trackState':
      return onlyKeys(m, ['type', 'trackSid', 'enabled']) && isSid(m.trackSid) && typeof m.enabled === 'boolean';
    case 'publish':
      return onlyKeys(m, ['type', 'kind', 'name']) && m.kind === 'video' && m.name === 'screen';
    case 'unpublish':
      return onlyKeys(m, ['type', 'trackSid']) && isSid(m.trackSid);
    default:
      return false;
  }
}

interface Judged {
  verdict: Verdict;
  /** The message's type, when it is a valid message or an object with a string type. */
  type?: string;
}

function judge(payload: string | Buffer): Judged {
  if (Buffer.byteLength(payload) > MAX_BYTES) return { verdict: 'MESSAGE_TOO_LARGE' };
  if (typeof payload !== 'string') return { verdict: 'INVALID_MESSAGE' };
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { verdict: 'INVALID_JSON' };
  }
  const type = isRecord(value) && typeof value.type === 'string' ? value.type : undefined;
  return { verdict: isRecord(value) && isValidMessage(value) ? 'valid' : 'INVALID_MESSAGE', type };
}

/** The reply to one message before joining: a valid ping is answered, anything else valid needs a join first. */
function expectedBeforeJoin({ verdict, type }: Judged): { type: 'pong' } | { type: 'error'; code: ErrorCode } {
  if (verdict !== 'valid') return { type: 'error', code: verdict };
  return type === 'ping' ? { type: 'pong' } : { type: 'error', code: 'NOT_JOINED' };
}

/** Anything but a valid join: random text and JSON, near-miss protocol messages, oversized, binary, and well-formed messages out of order. */
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
  // Well-formed messages that act on a room, sent before joining one.
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 100 }).map((sdp) => ({ type: 'answer', sdp })),
      fc.constant({ type: 'leave' }),
      fc
        .string({ minLength: 1, maxLength: 100 })
        .filter((text) => text.trim() !== '')
        .map((text) => ({ type: 'chat', text })),
      fc.record({
        type: fc.constant('trackState'),
        trackSid: fc.string({ minLength: 1, maxLength: 64 }),
        enabled: fc.boolean(),
      }),
      fc.constant({ type: 'publish', kind: 'video', name: 'screen' }),
      fc.string({ minLength: 1, maxLength: 64 }).map((trackSid) => ({ type: 'unpublish', trackSid })),
    )
    .map((m) => JSON.stringify(m)),
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

/** The error codes and pongs among what a client received, in order. */
const replies = (received: ServerMessage[]) =>
  received.flatMap((m) => (m.type === 'error' ? [m.code as string] : m.type === 'pong' ? ['pong'] : []));

describe('fuzzing the signalling endpoint beside a live call', () => {
  it('answers every malformed message before joining with the error its kind calls for', async () => {
    let sent = 0;
    const seen = new Map<string, number>();
    // Batches on fresh connections: one that never joins is closed after 15 s (JOIN_TIMEOUT), by design.
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { minLength: 5, maxLength: 40 }), async (batch) => {
        const client = await new SignalClient(server.signalUrl).open();
        for (const payload of batch) {
          const judged = judge(payload);
          // A valid join goes down the token path, which closes; the next test covers joins.
          if (judged.verdict === 'valid' && judged.type === 'join') continue;
          const expected = expectedBeforeJoin(judged);
          client.received.length = 0;
          client.socket.send(payload);
          sent++;
          const reply = await client.nextOf(['error', 'pong']);
          const label = reply.type === 'error' ? reply.code : reply.type;
          seen.set(label, (seen.get(label) ?? 0) + 1);
          expect(
            reply.type === 'error' ? { type: 'error', code: reply.code } : { type: reply.type },
            String(payload).slice(0, 200),
          ).toEqual(expected);
          // The refused message's type comes back as ref, when it had one.
          if (reply.type === 'error' && judged.type) expect(reply.ref).toBe(judged.type.slice(0, 32) || undefined);
        }
        client.socket.close();
        await client.closed;
      }),
      { numRuns: 300 },
    );
    expect(sent).toBeGreaterThan(2000);
    // Every kind of input was tried, not just the easy ones.
    for (const code of ['INVALID_JSON', 'INVALID_MESSAGE', 'MESSAGE_TOO_LARGE', 'NOT_JOINED'])
      expect(seen.get(code), code).toBeGreaterThan(10);
    console.log(`${sent} malformed messages, each answered: ${JSON.stringify(Object.fromEntries(seen))}`);
  }, 180_000);

  it('answers out-of-order and garbage messages from joined clients with the errors they call for', async () => {
    let round = 0;
    const OUR_PING = -424242;
    await fc.assert(
      fc.asyncProperty(
        fc.array(afterJoin, { minLength: 1, maxLength: 15 }),
        fc.boolean(),
        async (messages, publish) => {
          const client = await new SignalClient(server.signalUrl).open();
          client.send({
            type: 'join',
            token: await call.token(`fuzzer-${round++}`, 'fuzz-room'),
            room: 'fuzz-room',
            publish: { audio: publish, video: publish },
          });
          await client.next('joined');
          // What each message calls for once joined: a join is one too many; answers may or may not apply.
          const expected: string[] = [];
          let answers = 0;
          let trackCommands = 0;
          let left = false;
          for (const message of messages) {
            const { verdict, type } = judge(message);
            client.socket.send(message);
            if (verdict !== 'valid') expected.push(verdict);
            else if (type === 'join') expected.push('ALREADY_JOINED');
            else if (type === 'ping') expected.push('pong');
            else if (type === 'answer') answers++;
            else if (type === 'trackState' || type === 'unpublish') trackCommands++;
            else if (type === 'leave') {
              left = true;
              break;
            }
          }
          const pongs = expected.filter((e) => e === 'pong').length;
          if (left) {
            // A leave ends the session: the server closes normally, after answering what came before.
            expect((await client.closed).code).toBe(1000);
            expect(replies(client.received).filter((r) => r === 'pong').length).toBe(pongs);
          } else {
            client.send({ type: 'ping', id: OUR_PING });
            // Replies come in order, so ours is the pong after every one the fuzzed pings earned.
            let last: { id?: number } | undefined;
            for (let i = 0; i <= pongs; i++) last = await client.next('pong');
            expect(last?.id).toBe(OUR_PING);
          }
          // In order, one error for each message that calls for one; a failed negotiation at most once an answer
          // (the media worker sends it, so it may come after our pong).
          const got = replies(client.received).filter((r) => r !== 'pong');
          // Commands on tracks that are not the client's are refused by the worker too (TRACK_NOT_FOUND).
          const fromWorker = new Set(['NEGOTIATION_FAILED', 'TRACK_NOT_FOUND']);
          expect(got.filter((r) => !fromWorker.has(r))).toEqual(expected.filter((e) => e !== 'pong'));
          expect(got.filter((r) => r === 'NEGOTIATION_FAILED').length).toBeLessThanOrEqual(answers);
          expect(got.filter((r) => r === 'TRACK_NOT_FOUND').length).toBeLessThanOrEqual(trackCommands);
          client.socket.close();
          await client.closed;
        },
      ),
      { numRuns: 150 },
    );
  }, 180_000);

  it('forgets connections that vanish at every step of a join: only the real call is left, and it flows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.nat(20), async (step, wait) => {
        const client = await new SignalClient(server.signalUrl).open();
        if (step >= 1)
          client.send({
            type: 'join',
            token: await call.token(`ghost-${wait}`, 'fuzz-call'),
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
    // Every ghost is gone: from the server's rooms, from its media workers, and from the live pages.
    await eventually(
      () => server.health(),
      (h) =>
        h.rooms === 1 &&
        h.participants === 2 &&
        h.workers.reduce((n, w) => n + w.participants, 0) === 2 &&
        h.workers.every((w) => w.alive),
      'only Cleo and Dev left on the server',
    );
    for (const [page, other] of [
      [pages[0]!, 'Dev'],
      [pages[1]!, 'Cleo'],
    ] as const)
      await eventually(
        async () => ({ line: await countLine(page), tiles: (await remoteTiles(page)).map((t) => t.name) }),
        (v) => v.line === '2 participants online.' && v.tiles.join() === other,
        'no ghost on the page',
      );
    expect(await server.metrics()).toMatch(/^huddle_worker_restarts_total 0$/m);
    await expectLiveVideoInRightTiles(pages[0]!, ['Dev'], call.colourOf);
    await expectLiveVideoInRightTiles(pages[1]!, ['Cleo'], call.colourOf);
  }, 180_000);

  it('kept the real call going and lost no media worker', async () => {
    await expectLiveVideoInRightTiles(pages[0]!, ['Dev'], call.colourOf);
    await expectLiveVideoInRightTiles(pages[1]!, ['Cleo'], call.colourOf);
    const metrics = await server.metrics();
    expect(metrics).toMatch(/^huddle_worker_restarts_total 0$/m);
    expect(metrics).toMatch(/^huddle_signalling_errors_total\{code="INVALID_MESSAGE"\} \d+$/m);
    expect(server.process.exitCode).toBeNull();
  }, 120_000);
});
