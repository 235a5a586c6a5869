/** The built server with media workers, as `npm start` runs it, told to stop. */
import { describe, expect, it } from 'vitest';
import { startServer } from '../../harness/server';
import { SignalClient } from '../helpers/signal-client';

describe('graceful shutdown', () => {
  it('on SIGTERM tells every participant with SERVER_SHUTTING_DOWN, stops its workers and exits 0', async () => {
    const server = await startServer({ HUDDLE_WORKERS: '2' });
    const clients = [];
    for (const identity of ['A', 'B']) {
      const client = await new SignalClient(server.signalUrl).open();
      client.send({
        type: 'join',
        token: await server.token(identity, 'r'),
        room: 'r',
        publish: { audio: true, video: false },
      });
      await client.next('joined');
      clients.push(client);
    }
    const workerPids = (await server.health()).workers.map((w) => w.pid);
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGTERM');
    for (const client of clients) {
      const closed = await client.closed;
      expect(closed.code).toBe(1001);
      expect(closed.reason).toMatch(/^SERVER_SHUTTING_DOWN: /);
    }
    expect(await exited).toBe(0);
    for (const pid of workerPids) expect(() => process.kill(pid, 0)).toThrow(); // no worker left behind
    expect(server.output()).toContain('shutting down: telling participants, draining rooms');
  }, 30_000);
});
