/**
 * Join/leave soak: two synthetic participants stay in a room while a third joins, gets media, and
 * leaves, over and over (SOAK_CYCLES, default 300). Prints the resident memory of the main process
 * and of the media worker every 50 cycles, the first row (after warm-up) being the baseline the
 * rest are read against, and again after everyone has left; then again (SOAK_ROUNDS, default 2),
 * with two new steady participants.
 *   npm run bench:soak            SOAK_CYCLES=1000 SOAK_ROUNDS=3 npm run bench:soak
 */
import { startServer } from '../harness/server';
import { rssMiB } from './proc';
import type { ClientOptions } from './synthetic-client-options';
import { report, startSyntheticClient, stopSyntheticClient } from './synthetic-process';

const cycles = Number(process.env.SOAK_CYCLES ?? 300);
const rounds = Number(process.env.SOAK_ROUNDS ?? 2);
// SOAK_ENV='A=1 B=2' passes settings to the server (and its worker), to compare allocator settings.
const extraEnv = Object.fromEntries(
  (process.env.SOAK_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => pair.split('=', 2) as [string, string]),
);
const server = await startServer({ HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn', ...extraEnv });
const workerPid = (await server.health()).workers[0]!.pid;
const options = async (identity: string, index: number): Promise<ClientOptions> => ({
  server: 'huddle',
  url: server.signalUrl,
  bindAddress: '127.0.0.1',
  token: await server.token(identity, 'soak'),
  room: 'soak',
  identity,
  index,
  n: 3,
});

async function receiving(client: ReturnType<typeof startSyntheticClient>, deadlineMs = 20_000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if ((await report(client)).received > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

const rows: string[] = [];
const mib = (bytes: number | undefined) => ((bytes ?? 0) / 2 ** 20).toFixed(1).padStart(6);
const row = async (label: string) => {
  // Resident memory from /proc; the worker's JS heap and off-heap buffers as it reports them, to
  // tell what Huddle's objects hold from what the native side and the allocator hold.
  const memory = (await server.health()).workers[0]?.memory;
  rows.push(
    `${label.padEnd(20)} main ${rssMiB(server.process.pid!).toFixed(1).padStart(7)} MiB   worker ${rssMiB(workerPid).toFixed(1).padStart(7)} MiB (heap ${mib(memory?.heapUsed)}, buffers ${mib(memory?.arrayBuffers)})`,
  );
};

let failed = 0;
const started = Date.now();
// Each round empties the room; a second round that grows less than the first reuses what the
// first left behind (allocator retention), one that grows as much again holds it for good (a leak).
for (let round = 1; round <= rounds; round++) {
  const steady = [0, 1].map(async (i) => startSyntheticClient(await options(`steady-${round}-${i}`, i)));
  const clients = await Promise.all(steady);
  await Promise.all(clients.map((c) => receiving(c)));
  await row(`r${round} start (2 in)`);
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const visitor = startSyntheticClient(await options(`visitor-${round}-${cycle}`, 2));
    if (!(await receiving(visitor))) failed++;
    await stopSyntheticClient(visitor);
    if (cycle % 50 === 0 || cycle === cycles) {
      await row(`r${round} cycle ${cycle}`);
      process.stderr.write(`${rows.at(-1)}\n`);
    }
  }
  await Promise.all(clients.map(stopSyntheticClient));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await row(`r${round} all left`);
}
console.log(
  `Join/leave soak: ${rounds} × ${cycles} visitors in ${((Date.now() - started) / 60_000).toFixed(1)} min, ${failed} got no media`,
);
for (const line of rows) console.log(line);
await server.stop();
