/**
 * What audio last-N saves in a big room: N synthetic participants (bench/synthetic-client.ts,
 * each sending 50 audio and 120 video packets a second, every microphone at the same level), on
 * a fresh server with HUDDLE_AUDIO_LAST_N=0 (every microphone to everyone) and then with last-N
 * on; per run, the server's CPU (cores), the packets its subscribers received a second, and the
 * server's CPU per received packet.
 *
 *   npx tsx bench/audio-last-n.ts [--n 8,16,25] [--last-n 3] [--seconds 10]
 */
import type { ChildProcess } from 'node:child_process';
import { startServer } from '../harness/server';
import { cpuSeconds, mayRaisePriority, prioritize } from './proc';
import { report, startSyntheticClient, stopSyntheticClient } from './synthetic-process';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const sizes = arg('--n', '8,16,25').split(',').map(Number);
const lastN = Number(arg('--last-n', '3'));
const seconds = Number(arg('--seconds', '10'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  cores: number;
  receivedPerSecond: number;
}

async function run(n: number, audioLastN: number): Promise<Result> {
  const server = await startServer({
    HUDDLE_WORKERS: '1',
    HUDDLE_LOG_LEVEL: 'warn',
    HUDDLE_ROOM_CAPACITY: '100',
    HUDDLE_AUDIO_LAST_N: String(audioLastN),
  });
  const clients: ChildProcess[] = [];
  // As in npm run bench: the clients share this machine, and would otherwise take CPU a real
  // server would have to itself.
  if (mayRaisePriority()) {
    for (const pid of [server.process.pid!, ...(await server.health()).workers.map((w) => w.pid)]) prioritize(pid, -10);
  }
  try {
    for (let index = 0; index < n; index++) {
      const identity = `bench-${index}`;
      clients.push(
        startSyntheticClient({
          server: 'huddle',
          url: server.signalUrl,
          bindAddress: '127.0.0.1',
          token: await server.token(identity, 'bench'),
          room: 'bench',
          identity,
          index,
          n,
        }),
      );
      await sleep(150);
    }
    // Every video line live, and the microphones each subscriber is to hear.
    const heard = audioLastN === 0 ? n - 1 : Math.min(n - 1, audioLastN);
    const deadline = Date.now() + (30 + n) * 1000;
    while (Date.now() < deadline) {
      const reports = await Promise.all(clients.map(report));
      if (reports.every((r) => r.tracks >= n - 1 + heard)) break;
      await sleep(250);
    }
    await sleep(3000);
    const pids = [server.process.pid!, ...(await server.health()).workers.map((w) => w.pid)];
    const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const received = async () => (await Promise.all(clients.map(report))).reduce((s, r) => s + r.received, 0);
    const before = { cpu: cpu(), at: Date.now(), received: await received() };
    await sleep(seconds * 1000);
    const after = { cpu: cpu(), at: Date.now(), received: await received() };
    const elapsed = (after.at - before.at) / 1000;
    return {
      cores: (after.cpu - before.cpu) / elapsed,
      receivedPerSecond: (after.received - before.received) / elapsed,
    };
  } finally {
    await Promise.all(clients.map(stopSyntheticClient));
    await server.stop();
  }
}

console.log(`audio last-N: every microphone to everyone, then the loudest ${lastN}; ${seconds} s per run`);
console.log('N  | cores all  last-N | received/s all  last-N | µs CPU/packet all  last-N');
for (const n of sizes) {
  const all = await run(n, 0);
  const limited = await run(n, lastN);
  const micros = (r: Result) => ((r.cores * 1e6) / r.receivedPerSecond).toFixed(1).padStart(6);
  console.log(
    `${String(n).padEnd(2)} | ${all.cores.toFixed(2).padStart(9)} ${limited.cores.toFixed(2).padStart(7)} | ` +
      `${all.receivedPerSecond.toFixed(0).padStart(14)} ${limited.receivedPerSecond.toFixed(0).padStart(7)} | ` +
      `${micros(all).padStart(17)} ${micros(limited)}`,
  );
}
process.exit(0);
