import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomRegistry } from '../../src/rooms/room-registry';
import { mintAccessToken } from '../../src/tokens/access-token';
import { buildTestApp, TEST_CREDENTIALS } from '../helpers/in-process';
import { SignalClient } from '../helpers/signal-client';

let app: FastifyInstance;
let registry: RoomRegistry;
let url: string;
beforeAll(async () => {
  const built = await buildTestApp();
  app = built.app;
  registry = built.sfu!.rooms;
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  url = `${address.replace('http', 'ws')}/signal`;
});
afterAll(() => app.close());

const token = (identity: string, room = 'sig-room', ttlSeconds?: number, now?: number) =>
  mintAccessToken(TEST_CREDENTIALS, { identity, room, ttlSeconds, now });
const joinMessage = async (identity: string, extra: Record<string, unknown> = {}) => ({
  type: 'join',
  token: await token(identity),
  room: 'sig-room',
  publish: { audio: true, video: true },
  ...extra,
});

describe('the signalling endpoint', () => {
  it("gives a join with neither a room grant nor a name a room of its own, as twilio-video's connect() without a name", async () => {
    const rooms: string[] = [];
    const clients: SignalClient[] = [];
    for (const identity of ['Solo', 'Solo']) {
      const client = await new SignalClient(url).open();
      client.send({
        type: 'join',
        token: await mintAccessToken(TEST_CREDENTIALS, { identity }),
        publish: { audio: false, video: false },
      });
      rooms.push((await client.next('joined')).room.name);
      clients.push(client);
    }
    expect(rooms[0]).toMatch(/^RM[0-9a-f]{32}$/);
    // The same name twice, without IDENTITY_IN_USE: two rooms.
    expect(rooms[1]).toMatch(/^RM[0-9a-f]{32}$/);
    expect(rooms[1]).not.toBe(rooms[0]);
    for (const client of clients) client.socket.close(1000);
  });

  it('refuses a forged token with a close reason naming TOKEN_INVALID', async () => {
    const client = await new SignalClient(url).open();
    const forged = await mintAccessToken(
      { ...TEST_CREDENTIALS, keySecret: 'guess' },
      { identity: 'Mallory', room: 'sig-room' },
    );
    client.send({ ...(await joinMessage('Mallory')), token: forged });
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/^TOKEN_INVALID: /);
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const client = await new SignalClient(url).open();
    const expired = await token('Alice', 'sig-room', 60, Math.floor(Date.now() / 1000) - 120);
    client.send({ ...(await joinMessage('Alice')), token: expired });
    expect((await client.closed).reason).toMatch(/^TOKEN_EXPIRED: /);
  });

  it('refuses a token for another room with ROOM_MISMATCH', async () => {
    const client = await new SignalClient(url).open();
    client.send({ ...(await joinMessage('Alice')), token: await token('Alice', 'other-room') });
    const closed = await client.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^ROOM_MISMATCH: /);
  });

  it('answers invalid messages with a stable code and keeps the connection', async () => {
    const client = await new SignalClient(url).open();
    client.send('{oops');
    expect(await client.next('error')).toMatchObject({ code: 'INVALID_JSON' });
    client.send({ type: 'teleport' });
    expect(await client.next('error')).toMatchObject({ code: 'INVALID_MESSAGE', ref: 'teleport' });
    client.send({ type: 'answer', sdp: 'v=0' });
    expect(await client.next('error')).toMatchObject({ code: 'NOT_JOINED', ref: 'answer' });
    client.socket.send(Buffer.from([1, 2, 3]));
    expect(await client.next('error')).toMatchObject({ code: 'INVALID_MESSAGE' });
    client.send(JSON.stringify({ type: 'answer', sdp: 'x'.repeat(300 * 1024) }));
    expect(await client.next('error')).toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    client.send({ type: 'ping', id: 7 });
    expect(await client.next('pong')).toEqual({ type: 'pong', id: 7 });
    client.socket.close();
  });

  it('admits a valid join, offers media lines, and rejects a bad answer without dropping the call', async () => {
    const client = await new SignalClient(url).open();
    client.send(await joinMessage('Alice'));
    const joined = await client.next('joined');
    expect(joined.room.name).toBe('sig-room');
    expect(joined.localParticipant).toMatchObject({ identity: 'Alice' });
    expect(joined.localParticipant.tracks.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    const offer = await client.next('offer');
    expect(offer.sdp).toContain('a=mid:pa');
    expect(offer.sdp).toContain('a=mid:pv');
    expect(offer.sdp).toContain('a=candidate:');
    client.send(await joinMessage('Alice'));
    expect(await client.next('error')).toMatchObject({ code: 'ALREADY_JOINED' });
    client.send({ type: 'answer', sdp: 'this is not sdp' });
    expect(await client.next('error')).toMatchObject({ code: 'NEGOTIATION_FAILED' });
    client.send({ type: 'ping' });
    expect(await client.next('pong')).toEqual({ type: 'pong' });
    client.socket.close();
  });

  it('a watch-only participant alone in a room is offered its data line and an idle media line', async () => {
    // Regressions: an offer with no media line aborted the whole process inside libdatachannel;
    // one with only the SCTP line (data tracks) left it no SRTP for media added later.
    const watcher = await new SignalClient(url).open();
    watcher.send(await joinMessage('Watcher', { publish: { audio: false, video: false } }));
    expect((await watcher.next('joined')).localParticipant.tracks).toEqual([]);
    const offer = await watcher.next('offer');
    expect(offer.mids).toEqual([]);
    expect(offer.sdp).toContain('m=application');
    expect(offer.sdp.match(/m=(audio|video)/g)).toEqual(['m=audio']);
    expect(offer.publish).toEqual([]);
    watcher.socket.close();
    await watcher.closed;
  });

  it('a participant joined with subscribe: false (automaticSubscription) is offered only its own lines, and still sends', async () => {
    const quiet = await new SignalClient(url).open();
    quiet.send({
      ...(await joinMessage('Quiet', { room: 'quiet-room', token: await token('Quiet', 'quiet-room') })),
      tracks: [{ kind: 'audio', name: 'mic' }],
      subscribe: false,
    });
    await quiet.next('joined');
    const talker = await new SignalClient(url).open();
    talker.send(await joinMessage('Talker', { room: 'quiet-room', token: await token('Talker', 'quiet-room') }));
    await talker.next('joined');
    const talkerOffer = await talker.next('offer');
    expect(talkerOffer.mids.map((m) => m.kind)).toEqual(['audio']);
    const quietOffer = await quiet.next('offer');
    expect([quietOffer.mids, quietOffer.publish.map((p) => p.name)]).toEqual([[], ['mic']]);
    quiet.socket.close();
    talker.socket.close();
    await Promise.all([quiet.closed, talker.closed]);
  });

  it('tells others who joins and leaves; a second connection with the same identity replaces the first only with its resumption secret', async () => {
    const alice = await new SignalClient(url).open();
    alice.send(await joinMessage('Alice2'));
    await alice.next('joined');
    const bob = await new SignalClient(url).open();
    bob.send(await joinMessage('Bob'));
    const bobJoined = await bob.next('joined');
    expect(bobJoined.resumeSecret).toMatch(/^[\w-]{24}$/);
    expect(bobJoined.participants.map((p) => p.identity)).toEqual(['Alice2']);
    const seen = await alice.next('participantConnected');
    expect(seen.participant.identity).toBe('Bob');
    // Bob's first offer carries lines for Alice's audio and video, mapped to her track SIDs.
    // (Alice's own next offer waits until she answers her first: one offer in flight at a time.)
    const offer = await bob.next('offer');
    const aliceInfo = bobJoined.participants[0]!;
    expect(offer.mids.map((m) => m.participantSid)).toEqual([aliceInfo.sid, aliceInfo.sid]);
    expect(offer.mids.map((m) => m.trackSid).sort()).toEqual(aliceInfo.tracks.map((t) => t.sid).sort());
    expect(offer.mids.map((m) => m.mid)).toEqual(['a1', 'v2']);
    for (const { mid } of offer.mids) expect(offer.sdp).toContain(`a=mid:${mid}`);

    // Someone who only knows the name and the SID every member sees: refused, Bob stays.
    for (const extra of [
      {},
      { resume: bobJoined.localParticipant.sid },
      { resume: bobJoined.localParticipant.sid, resumeSecret: 'A'.repeat(24) },
    ]) {
      const impostor = await new SignalClient(url).open();
      impostor.send(await joinMessage('Bob', extra));
      const refused = await impostor.closed;
      expect(refused.code).toBe(4409);
      expect(refused.reason).toMatch(/^IDENTITY_IN_USE: /);
    }
    expect(bob.socket.readyState).toBe(bob.socket.OPEN);

    const bobAgain = await new SignalClient(url).open();
    bobAgain.send(
      await joinMessage('Bob', { resume: bobJoined.localParticipant.sid, resumeSecret: bobJoined.resumeSecret }),
    );
    expect((await bobAgain.next('joined')).localParticipant.sid).toBe(bobJoined.localParticipant.sid);
    const closed = await bob.closed;
    expect(closed.code).toBe(4409);
    expect(closed.reason).toMatch(/^DUPLICATE_IDENTITY: /);
    expect((await alice.next('participantDisconnected')).participantSid).toBe(seen.participant.sid);
    expect((await alice.next('participantConnected')).participant.identity).toBe('Bob');

    expect(registry.participantCount).toBe(2);
    bobAgain.socket.close();
    await alice.next('participantDisconnected');
    alice.socket.close();
    await alice.closed;
    // The server forgets a room once its last participant has gone.
    await expect.poll(() => registry.roomCount).toBe(0);
    expect(registry.participantCount).toBe(0);
  });
});
