/** Every limit is configurable and hitting it gives a stable code, never a silent drop. */

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { mintAccessToken } from '../../src/tokens/access-token';
import { buildTestApp, TEST_CREDENTIALS } from '../helpers/in-process';
import { SignalClient } from '../helpers/signal-client';

let app: FastifyInstance;
let url: string;
beforeAll(async () => {
  ({ app } = await buildTestApp({
    HUDDLE_ROOM_CAPACITY: '2',
    HUDDLE_MAX_ROOMS: '2',
    HUDDLE_SIGNAL_RATE: '5',
    HUDDLE_MAX_MESSAGE_BYTES: '4096',
    HUDDLE_LOGIN_RATE_LIMIT: '3',
  }));
  url = `${(await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/signal`;
});
afterAll(() => app.close());

async function joined(identity: string, room: string, extra: Record<string, unknown> = {}): Promise<SignalClient> {
  const client = await new SignalClient(url).open();
  client.send({
    type: 'join',
    token: await mintAccessToken(TEST_CREDENTIALS, { identity, room }),
    room,
    publish: { audio: false, video: false },
    ...extra,
  });
  return client;
}

describe('limits', () => {
  it('a full room refuses the next participant with ROOM_FULL, but lets a member come back as itself', async () => {
    const a = await joined('A', 'small');
    await a.next('joined');
    const b = await joined('B', 'small');
    const bJoined = await b.next('joined');
    const c = await joined('C', 'small');
    const closed = await c.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/^ROOM_FULL: /);
    const bAgain = await joined('B', 'small', {
      resume: bJoined.localParticipant.sid,
      resumeSecret: bJoined.resumeSecret,
    });
    await bAgain.next('joined');
    expect((await b.closed).reason).toMatch(/^DUPLICATE_IDENTITY: /);
    a.socket.close();
    bAgain.socket.close();
    await Promise.all([a.closed, bAgain.closed]);
  });

  it('a server at its room limit refuses a new room with TOO_MANY_ROOMS', async () => {
    const one = await joined('A', 'room-1');
    await one.next('joined');
    const two = await joined('A', 'room-2');
    await two.next('joined');
    const three = await joined('A', 'room-3');
    expect((await three.closed).reason).toMatch(/^TOO_MANY_ROOMS: /);
    one.socket.close();
    two.socket.close();
    await Promise.all([one.closed, two.closed]);
  });

  it('a flood is refused: one RATE_LIMITED a second naming what was refused, the rest unanswered, and the connection lives on', async () => {
    const client = await new SignalClient(url).open();
    for (let i = 0; i < 30; i++) client.send({ type: 'ping', id: i });
    // The burst (twice the rate) is answered; past it, answering every frame is what a flood wants.
    await expect.poll(() => client.received.filter((m) => m.type === 'pong').length, { timeout: 5000 }).toBe(10);
    await expect.poll(() => client.received.filter((m) => m.type === 'error').length, { timeout: 5000 }).toBe(1);
    expect(client.received.find((m) => m.type === 'error')).toMatchObject({ code: 'RATE_LIMITED', ref: 'ping' });
    expect(client.received.length).toBeLessThan(30);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the bucket refills
    client.received.length = 0;
    client.send({ type: 'ping', id: 99 });
    expect(await client.next('pong')).toEqual({ type: 'pong', id: 99 });
    client.socket.close();
  });

  it('a message over the configured size gets MESSAGE_TOO_LARGE', async () => {
    const client = await new SignalClient(url).open();
    client.send({ type: 'answer', sdp: 'x'.repeat(5000) });
    expect(await client.next('error')).toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    client.socket.close();
  });

  it('a token whose identity is over 128 characters is refused with NAME_INVALID', async () => {
    const client = await joined('x'.repeat(129), 'long');
    expect((await client.closed).reason).toMatch(/^NAME_INVALID: /);
  });

  it('/login answers 429 with RATE_LIMITED past its per-minute limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/login',
        payload: '{"username":"A"}',
        remoteAddress: '10.9.9.9',
      });
      codes.push(response.statusCode);
      if (response.statusCode === 429) expect(response.json().code).toBe('RATE_LIMITED');
    }
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it('settings are validated: a bad value stops the start with its name', () => {
    expect(() => loadConfig({ HUDDLE_ROOM_CAPACITY: '0' })).toThrow(/HUDDLE_ROOM_CAPACITY/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(loadConfig({}).limits).toEqual({
      maxMessageBytes: 262144,
      messagesPerSecond: 50,
      heartbeatMs: 4000,
      maxBufferedBytes: 1048576,
      maxConnectionsPerAddress: 100,
    });
    expect(loadConfig({}).rooms).toEqual({ roomCapacity: 50, maxRooms: 1000, reconnectGraceMs: 30_000 });
  });
});

describe('operations endpoints', () => {
  it('/healthz reports ok with counts, /metrics speaks Prometheus', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', backend: 'embedded', rooms: 0, participants: 0 });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    for (const name of [
      'huddle_rooms',
      'huddle_participants',
      'huddle_forwarded_packets_total',
      'huddle_forwarded_bytes_total',
      'huddle_worker_restarts_total',
    ]) {
      expect(metrics.body).toContain(`# TYPE ${name} `);
    }
    expect(metrics.body).toMatch(/^huddle_signalling_errors_total\{code="ROOM_FULL"\} 1$/m);
    expect(metrics.body).toMatch(/^huddle_signalling_errors_total\{code="RATE_LIMITED"\} \d+$/m);
  });
});

describe('what counts as one address', () => {
  it('IPv6 addresses count by their /64, IPv4 (mapped or not) alone', async () => {
    const { addressKey } = await import('../../src/signalling/address-key');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff:1:2:3'));
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
