/**
 * Someone whose signalling connection drops without a goodbye keeps their seat for the reconnect
 * grace: the others hear `participantReconnecting`, then `participantReconnected` when they resume
 * with their SID and secret, or `participantDisconnected` when the grace runs out. A goodbye (or
 * a close frame of 1000/1001) is a departure at once. Clients of protocol 1 and 2 are told, as
 * before, that someone left and joined again.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinedMessage } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/version';
import type { RoomRegistry } from '../../src/rooms/room-registry';
import { mintAccessToken } from '../../src/tokens/access-token';
import { buildTestApp, TEST_CREDENTIALS } from '../helpers/in-process';
import { SignalClient } from '../helpers/signal-client';

const GRACE_MS = 1500;
const ROOM = 'resume-room';

let app: FastifyInstance;
let registry: RoomRegistry;
let url: string;
beforeAll(async () => {
  const built = await buildTestApp({ HUDDLE_RECONNECT_GRACE_MS: String(GRACE_MS) });
  app = built.app;
  registry = built.sfu!.rooms;
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  url = `${address.replace('http', 'ws')}/signal`;
});
afterAll(() => app.close());

/** Joins ROOM with protocol 3 on the server at `at` (this file's first one unless given). */
async function join(
  identity: string,
  extra: Record<string, unknown> = {},
  at = url,
): Promise<{ client: SignalClient; joined: JoinedMessage }> {
  const client = await new SignalClient(at).open();
  client.send({
    type: 'join',
    token: await mintAccessToken(TEST_CREDENTIALS, { identity, room: ROOM }),
    room: ROOM,
    publish: { audio: true, video: false },
    protocol: PROTOCOL_VERSION,
    ...extra,
  });
  return { client, joined: await client.next('joined') };
}

const resumeOf = (joined: JoinedMessage) => ({
  resume: joined.localParticipant.sid,
  resumeSecret: joined.resumeSecret,
});

describe('a participant whose connection drops', () => {
  it('is reconnecting to the others, listed so to newcomers, and reconnected when it resumes', async () => {
    const alice = await join('Alice');
    const bob = await join('Bob');
    const bobSid = bob.joined.localParticipant.sid;
    await alice.client.next('participantConnected');
    const old = await join('Olga', { protocol: 1 });
    await alice.client.next('participantConnected');

    // No close frame: to the server, the connection just died.
    bob.client.socket.terminate();
    expect(await alice.client.next('participantReconnecting')).toEqual({
      type: 'participantReconnecting',
      participantSid: bobSid,
    });
    // A protocol 1 client does not know the word: for it, Bob left.
    expect((await old.client.next('participantDisconnected')).participantSid).toBe(bobSid);
    expect(registry.participantCount).toBe(3);

    const carol = await join('Carol');
    expect((await old.client.next('participantConnected')).participant.identity).toBe('Carol');
    const listed = carol.joined.participants.find((p) => p.sid === bobSid);
    expect(listed).toMatchObject({ identity: 'Bob', state: 'reconnecting' });
    expect(listed!.tracks.map((t) => t.name)).toEqual(['microphone']);

    const back = await join('Bob', resumeOf(bob.joined));
    expect(back.joined.localParticipant.sid).toBe(bobSid);
    for (const other of [alice, carol]) {
      const reconnected = await other.client.next('participantReconnected');
      expect(reconnected.participant).toMatchObject({ sid: bobSid, identity: 'Bob' });
      expect(reconnected.participant.tracks.map((t) => t.sid)).toEqual(listed!.tracks.map((t) => t.sid));
    }
    expect((await old.client.next('participantConnected')).participant.sid).toBe(bobSid);
    expect(alice.client.received.some((m) => m.type === 'participantDisconnected')).toBe(false);

    for (const c of [alice, back, old, carol]) c.client.socket.close(1000);
    await expect.poll(() => registry.roomCount).toBe(0);
  });

  it('gives the seat up after the grace, and a goodbye leaves at once', async () => {
    const alice = await join('Alice');
    const bob = await join('Bob');
    const bobSid = bob.joined.localParticipant.sid;
    await alice.client.next('participantConnected');
    // The SDK's close while it resumes: an application code, no goodbye.
    bob.client.socket.close(4000, 'resuming');
    await alice.client.next('participantReconnecting');
    const droppedAt = Date.now();
    expect((await alice.client.next('participantDisconnected')).participantSid).toBe(bobSid);
    expect(Date.now() - droppedAt).toBeGreaterThan(GRACE_MS - 200);
    expect(registry.participantCount).toBe(1);
    // Too late: the secret still proves who Bob was, but the others meet him anew.
    const late = await join('Bob', resumeOf(bob.joined));
    expect((await alice.client.next('participantConnected')).participant.sid).toBe(bobSid);

    late.client.send({ type: 'leave' });
    expect((await alice.client.next('participantDisconnected')).participantSid).toBe(bobSid);
    expect(alice.client.received.some((m) => m.type === 'participantReconnecting')).toBe(false);
    const dana = await join('Dana');
    await alice.client.next('participantConnected');
    dana.client.socket.close(1001); // a tab closed
    await alice.client.next('participantDisconnected');
    expect(alice.client.received.some((m) => m.type === 'participantReconnecting')).toBe(false);
    alice.client.socket.close(1000);
    await expect.poll(() => registry.roomCount).toBe(0);
  });

  it('gives an away seat to someone else with the name at once: the others see one leave and one join', async () => {
    const alice = await join('Alice');
    const bob = await join('Bob');
    await alice.client.next('participantConnected');
    bob.client.socket.terminate();
    await alice.client.next('participantReconnecting');
    const other = await join('Bob');
    expect(other.joined.localParticipant.sid).not.toBe(bob.joined.localParticipant.sid);
    expect((await alice.client.next('participantDisconnected')).participantSid).toBe(bob.joined.localParticipant.sid);
    expect((await alice.client.next('participantConnected')).participant.sid).toBe(other.joined.localParticipant.sid);
    for (const c of [alice, other]) c.client.socket.close(1000);
    await expect.poll(() => registry.roomCount).toBe(0);
  });

  it('holds a room whose only member is away, and closes it when the grace ends', async () => {
    const bob = await join('Bob');
    bob.client.socket.terminate();
    await new Promise((resolve) => bob.client.socket.once('close', resolve));
    expect(registry.roomCount).toBe(1);
    const back = await join('Bob', resumeOf(bob.joined));
    expect(back.joined.localParticipant.sid).toBe(bob.joined.localParticipant.sid);
    back.client.socket.terminate();
    await expect.poll(() => registry.roomCount, { timeout: GRACE_MS + 3000 }).toBe(0);
  });
});

describe('a held seat', () => {
  let capped: FastifyInstance;
  let cappedUrl: string;
  beforeAll(async () => {
    const built = await buildTestApp({
      HUDDLE_RECONNECT_GRACE_MS: String(GRACE_MS),
      HUDDLE_MAX_CONNECTIONS_PER_ADDRESS: '2',
    });
    capped = built.app;
    cappedUrl = `${(await capped.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/signal`;
  });
  afterAll(() => capped.close());

  it("still counts as one of its address's connections, so dropping connections holds no more seats than keeping them", async () => {
    const silent = { publish: { audio: false, video: false } };
    const { client: alice } = await join('Alice', silent, cappedUrl);
    const { client: bob } = await join('Bob', silent, cappedUrl);
    bob.socket.terminate();
    await alice.next('participantReconnecting');
    const third = await new SignalClient(cappedUrl).open();
    expect((await third.closed).reason).toMatch(/^TOO_MANY_CONNECTIONS: /);
    // The grace over, the seat and the connection it counted as are free.
    await alice.next('participantDisconnected');
    const carol = await join('Carol', silent, cappedUrl);
    expect(carol.joined.localParticipant.identity).toBe('Carol');
    for (const c of [alice, carol.client]) c.socket.close(1000);
  });
});
