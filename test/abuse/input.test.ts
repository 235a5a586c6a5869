/**
 * Attacks a careless or hostile client makes with what it sends, each bounded in count and time:
 * tokens that live forever, names and chat that are not text, a reader that stops reading, one
 * address taking every seat, unlimited screen shares, and commands on someone else's tracks.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/protocol/messages';
import type { RoomRegistry } from '../../src/rooms/room-registry';
import { mintAccessToken } from '../../src/tokens/access-token';
import { buildTestApp, TEST_CREDENTIALS } from '../helpers/in-process';
import { SignalClient } from '../helpers/signal-client';

let app: FastifyInstance;
let rooms: RoomRegistry;
let url: string;
beforeAll(async () => {
  let sfu: Awaited<ReturnType<typeof buildTestApp>>['sfu'];
  ({ app, sfu } = await buildTestApp({
    HUDDLE_MAX_MESSAGE_BYTES: '4096',
    HUDDLE_SIGNAL_RATE: '2000',
    HUDDLE_MAX_CONNECTIONS_PER_ADDRESS: '12',
  }));
  rooms = sfu!.rooms;
  url = `${(await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/signal`;
});
afterAll(() => app.close());

const token = (identity: string, extra: { ttlSeconds?: number; now?: number } = {}) =>
  mintAccessToken(TEST_CREDENTIALS, { identity, room: 'abuse', ...extra });

async function member(identity: string, publish = { audio: false, video: false }) {
  const client = await new SignalClient(url).open();
  client.send({ type: 'join', token: await token(identity), room: 'abuse', publish });
  const joined = await client.next('joined');
  return { client, joined };
}

async function refusedJoin(tokenText: string): Promise<string> {
  const client = await new SignalClient(url).open();
  client.send({ type: 'join', token: tokenText, room: 'abuse', publish: { audio: false, video: false } });
  return (await client.closed).reason;
}

const errorsOf = (client: SignalClient) =>
  client.received.filter((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error');

describe('tokens and names', () => {
  it('a token that lives past 24 hours, or was issued in the future, is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusedJoin(await token('Eve', { ttlSeconds: 10 * 365 * 86_400 }))).toMatch(
      /^TOKEN_INVALID: .*24 hours/,
    );
    expect(await refusedJoin(await token('Eve', { ttlSeconds: 253402300799 - now }))).toMatch(/^TOKEN_INVALID: /);
    expect(await refusedJoin(await token('Eve', { now: now + 3600 }))).toMatch(/^TOKEN_INVALID: .*future/);
    // A day exactly is what Twilio allows.
    const day = await new SignalClient(url).open();
    day.send({
      type: 'join',
      token: await token('Day', { ttlSeconds: 86_400 }),
      room: 'abuse',
      publish: { audio: false, video: false },
    });
    await day.next('joined');
    day.socket.close();
  });

  it('identities that are not a plain name are refused on the token path', async () => {
    for (const identity of [
      'Eve\nAdmin',
      'Eve\u0000',
      'Eve\u001b[31m',
      'evE\u202Eto',
      '   ',
      '\u200b\u200b',
      ' Ann ',
    ]) {
      expect(await refusedJoin(await token(identity))).toMatch(/^NAME_INVALID: /);
    }
  });

  it('/login refuses names that are not text, and takes a padded name as the name', async () => {
    for (const username of ['\u200b\u200b\u200b', 'a\u2028b', '\ud800x', 'x\u0007']) {
      const answer = await app.inject({ method: 'POST', url: '/login', payload: { username } });
      expect(answer.statusCode, JSON.stringify(username)).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode).toBeLessThan(500);
      expect(answer.json().code).toMatch(/^(NAME_INVALID|INVALID_BODY|USERNAME_REQUIRED|NAME_REQUIRED)$/);
    }
    const padded = await app.inject({ method: 'POST', url: '/login', payload: { username: '  Ann   Lee ' } });
    const identity = JSON.parse(Buffer.from(padded.json().token.split('.')[1], 'base64url').toString()).grants.identity;
    expect(identity).toBe('Ann Lee');
  });

  it('chat with control characters is refused with a reply, and 100 long messages leave a history newcomers get', async () => {
    const { client } = await member('Chatter');
    client.send({ type: 'chat', text: '\u0001'.repeat(500) });
    await expect.poll(() => errorsOf(client).length).toBe(1);
    expect(errorsOf(client)[0]).toMatchObject({ code: 'INVALID_MESSAGE', ref: 'chat' });
    for (let i = 0; i < 100; i++) client.send({ type: 'chat', text: `${i} ${'é'.repeat(1900)}` });
    await expect.poll(() => client.received.filter((m) => m.type === 'chat').length, { timeout: 10_000 }).toBe(100);
    const late = await member('Late');
    const history = await late.client.next('chatHistory');
    expect(JSON.stringify(history).length).toBeLessThan(4 * 4096 * 8); // well under what an SDK accepts
    expect(history.messages.length).toBeGreaterThan(10);
    expect(history.messages.at(-1)?.text.startsWith('99 ')).toBe(true);
    client.socket.close();
    late.client.socket.close();
  });
});

describe('a client that stops reading', () => {
  it('is closed with SLOW_CONSUMER once its unread output passes the bound, and the room goes on', async () => {
    const reader = await member('Reader');
    const stalled = await member('Stalled');
    const chatty = await member('Chatty');
    // Stop reading: the kernel's buffers fill first, then the server's own; then it must let go.
    (stalled.client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = 'x'.repeat(1900);
    const started = Date.now();
    let sent = 0;
    while (rooms.participantCount === 3 && Date.now() - started < 60_000) {
      for (let i = 0; i < 50; i++) chatty.client.send({ type: 'chat', text });
      sent += 50;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    console.log(`slow consumer let go after ${Date.now() - started} ms and ${sent} chat messages of 1.9 KB`);
    expect(rooms.participantCount).toBe(2);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^huddle_signalling_errors_total\{code="SLOW_CONSUMER"\} 1$/m);
    await expect
      .poll(() =>
        reader.client.received.some(
          (m) => m.type === 'participantDisconnected' && m.participantSid === stalled.joined.localParticipant.sid,
        ),
      )
      .toBe(true);
    reader.client.send({ type: 'ping', id: 7 });
    await expect.poll(() => reader.client.received.some((m) => m.type === 'pong' && m.id === 7)).toBe(true);
    for (const c of [reader, stalled, chatty]) c.client.socket.close(1000);
  });
});

describe('seats and tracks', () => {
  it('one address holds at most the configured number of connections; the next is closed with TOO_MANY_CONNECTIONS', async () => {
    await expect.poll(() => rooms.participantCount, { timeout: 10_000 }).toBe(0);
    const held = await Promise.all(Array.from({ length: 12 }, () => new SignalClient(url).open()));
    const extra = await new SignalClient(url).open();
    expect((await extra.closed).reason).toMatch(/^TOO_MANY_CONNECTIONS: /);
    held[0]!.socket.close();
    await held[0]!.closed;
    await expect
      .poll(async () => {
        const again = await new SignalClient(url).open();
        again.send({ type: 'ping', id: 1 });
        const answered = await Promise.race([again.next('pong').then(() => true), again.closed.then(() => false)]);
        again.socket.close();
        return answered;
      })
      .toBe(true);
    for (const c of held) c.socket.close();
    await Promise.all(held.map((c) => c.closed));
  });

  it('published tracks are capped and their names unique, each refusal answered; trackState and unpublish of a track not yours are answered', async () => {
    const watcher = await member('Watcher');
    const sharer = await member('Sharer');
    for (let i = 0; i < 3; i++) sharer.client.send({ type: 'publish', kind: 'video', name: 'screen' });
    // 100 messages in all: the rate limit's burst.
    for (let i = 0; i < 97; i++) sharer.client.send({ type: 'publish', kind: 'video', name: `screen ${i}` });
    await expect.poll(() => errorsOf(sharer.client).length, { timeout: 10_000 }).toBe(2 + 97 - 15);
    const refusals = errorsOf(sharer.client).map((e) => `${e.code} ${e.ref}`);
    expect(refusals.slice(0, 2)).toEqual(['TRACK_NAME_DUPLICATED publish', 'TRACK_NAME_DUPLICATED publish']);
    expect(refusals.slice(2).every((r) => r === 'TOO_MANY_TRACKS publish')).toBe(true);
    await expect.poll(() => watcher.client.received.filter((m) => m.type === 'trackPublished').length).toBe(16);

    const screen = watcher.client.received.find((m) => m.type === 'trackPublished');
    const othersTrack = screen?.type === 'trackPublished' ? screen.track.sid : 'MT0';
    watcher.client.send({ type: 'trackState', trackSid: othersTrack, enabled: false });
    watcher.client.send({ type: 'unpublish', trackSid: othersTrack });
    await expect
      .poll(() => errorsOf(watcher.client).map((e) => `${e.code} ${e.ref}`))
      .toEqual(['TRACK_NOT_FOUND trackState', 'TRACK_NOT_FOUND unpublish']);
    expect(sharer.client.received.some((m) => m.type === 'trackState' || m.type === 'trackUnpublished')).toBe(false);
    watcher.client.socket.close();
    sharer.client.socket.close();
  });
});
