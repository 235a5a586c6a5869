/**
 * What clients can make the server log: hundreds of bad requests, frames and joins from strangers
 * write a bounded few lines at the default level, and nothing at error level.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp } from '../helpers/in-process';

const lines: string[] = [];
let app: FastifyInstance;
let signalUrl: string;
beforeAll(async () => {
  ({ app } = await buildTestApp(
    { HUDDLE_LOG_LEVEL: 'info', HUDDLE_MAX_MESSAGE_BYTES: '4096' },
    { write: (line) => lines.push(line) },
  ));
  signalUrl = `${(await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/signal`;
});
afterAll(() => app.close());

/** A masked text frame (mask key 0, so the payload goes as it is), whatever the payload holds. */
function textFrame(payload: Buffer): Buffer {
  const length =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([length, Buffer.alloc(4), payload]);
}

/** Opens /signal, writes this, and waits for the server to close the socket. */
async function sendAndClose(write: (socket: WebSocket) => void): Promise<number> {
  const socket = new WebSocket(signalUrl);
  await new Promise((resolve) => socket.once('open', resolve));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.on('error', () => {});
  write(socket);
  return closed;
}

const rawSocket = (socket: WebSocket) => (socket as unknown as { _socket: { write(b: Buffer): void } })._socket;

describe('log volume under abuse', () => {
  it('oversized and non-UTF-8 frames, bad tokens, bad hosts and origins write little and no errors', async () => {
    const before = lines.length;
    for (let i = 0; i < 40; i++) {
      expect(await sendAndClose((s) => rawSocket(s).write(textFrame(Buffer.alloc(20_000, 97))))).toBe(1009);
      expect(await sendAndClose((s) => rawSocket(s).write(textFrame(Buffer.from([0xc0, 0xae]))))).toBe(1007);
      await sendAndClose((s) =>
        s.send(JSON.stringify({ type: 'join', token: 'x.y.z', publish: { audio: false, video: false } })),
      );
      await app.inject({ method: 'GET', url: '/', headers: { host: `evil-${i}.example` } });
      await app.inject({
        method: 'POST',
        url: '/login',
        headers: { origin: `http://evil-${i}.example` },
        payload: '{}',
      });
      await app.inject({ method: 'GET', url: `/%c0%ae/${i}` });
    }
    const written = lines.slice(before);
    const bytes = written.reduce((sum, line) => sum + line.length, 0);
    expect(written.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
    // 240 attacks: the only lines are the first 20 refused host names (so an operator sees a name they forgot).
    expect(bytes).toBeLessThan(8 * 1024);
  }, 60_000);
});
