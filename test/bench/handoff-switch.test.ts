/**
 * A media worker hands sends off to libdatachannel's threads above HUDDLE_SEND_HANDOFF_ABOVE
 * packets a second and takes them back inline below half of it, rebuilding every open line's
 * handler chain mid-stream. Synthetic participants give exact rates: three send 3 × 170 × 2 =
 * 1,020 packets/s through the server (over 800: hand-off); when one leaves, two send 340 (under
 * 400: inline again). Media must keep flowing both ways through both switches.
 */

import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report, startSyntheticClient, stopSyntheticClient } from '../../bench/synthetic-process';
import { eventually } from '../../harness/call-page';
import { type RunningServer, startServer } from '../../harness/server';

let server: RunningServer;
const clients: ChildProcess[] = [];

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1', HUDDLE_SEND_HANDOFF_ABOVE: '800' });
  for (let index = 0; index < 3; index++) {
    const identity = `synthetic-${index}`;
    const token = await server.token(identity, 'switch');
    clients.push(
      startSyntheticClient({
        server: 'huddle',
        url: server.signalUrl,
        bindAddress: '127.0.0.1',
        token,
        room: 'switch',
        identity,
        index,
        n: 3,
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map(stopSyntheticClient));
  await server?.stop();
});

/** Every given client's received count grows by at least `packets` (all its lines flowing). */
async function expectFlowing(group: ChildProcess[], lines: number, packets: number, what: string) {
  const before = await Promise.all(group.map(report));
  try {
    await eventually(
      () => Promise.all(group.map(report)),
      (now) => now.every((r, i) => r.tracks === lines && r.received - before[i]!.received >= packets),
      what,
    );
  } catch (error) {
    // The server's side of the story (its log is at info level here).
    throw new Error(`${(error as Error).message}\nserver log:\n${server.output().split('\n').slice(-40).join('\n')}`);
  }
}

describe('hand-off of sends, on and back off', () => {
  it('keeps media flowing through both switches', async () => {
    await expectFlowing(clients, 4, 300, 'three participants receiving both others');
    await eventually(
      async () => server.output(),
      (log) => log.includes('sends handed off to the media threads'),
      'the hand-off',
    );
    await expectFlowing(clients, 4, 300, 'media flowing after the hand-off');

    await stopSyntheticClient(clients.pop()!);
    await eventually(
      async () => server.output(),
      (log) => log.includes('sends made inline again'),
      'sends back inline',
    );
    // Each of the two left receives the other's 170 packets/s on its lines.
    const before = await Promise.all(clients.map(report));
    await eventually(
      () => Promise.all(clients.map(report)),
      (now) => now.every((r, i) => r.received - before[i]!.received >= 300),
      'media flowing after sends went inline again',
    );
    expect(server.output()).not.toMatch(/"level":(50|60)/);
    expect(server.process.exitCode).toBeNull();
  }, 120_000);
});
