/**
 * Forwarding bench: N synthetic participants (separate processes, node-datachannel, no browser)
 * in one all-to-all room on a freshly started Huddle server. For each N it prints and saves
 * server CPU-µs per forwarded packet (utime+stime of the server and its media workers from
 * /proc, over forwarded packets from /metrics), packets forwarded per second, loss seen by the
 * receivers (1 − received / (sent × (N − 1))), server RSS, and the main process's event-loop delay p99.
 *
 *   npm run bench -- [--n 2,4,8,12,16,20,25] [--seconds 10] [--out bench/results]
 *   npm run bench -- --smoke          (N = 2 for a few seconds: what npm test runs)
 *
 * Janus is not driven yet (issue 4 remains open): its column says so.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { mintAccessToken } from '../src/tokens/access-token';
import { startServer, type RunningServer } from '../test/helpers/server';
import type { ClientOptions, ClientReport } from './synthetic-client';
import { forwardingChart } from './svg-chart';

interface Args {
  n: number[];
  seconds: number;
  warmup: number;
  out: string;
  smoke: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const smoke = argv.includes('--smoke');
  return {
    smoke,
    n: smoke ? [2] : (value('--n') ?? '2,4,8,12,16,20,25').split(',').map(Number),
    seconds: Number(value('--seconds') ?? (smoke ? 3 : 10)),
    warmup: Number(value('--warmup') ?? (smoke ? 1 : 3)),
    out: value('--out') ?? 'bench/results',
  };
}

export interface ForwardingResult {
  n: number;
  cpuMicrosPerPacket: number;
  forwardedPerSecond: number;
  loss: number;
  rssMiB: number;
  eventLoopP99Ms: number;
  /** Participants receiving every other participant's audio and video. */
  clientsReceivingAll: number;
}

const CLOCK_TICKS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function metric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

function report(client: ChildProcess): Promise<ClientReport> {
  return new Promise((resolve) => {
    client.once('message', (message) => resolve(message as ClientReport));
    client.send('report');
  });
}

async function runOne(n: number, args: Args): Promise<ForwardingResult> {
  const server = await startServer({ HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn', HUDDLE_ROOM_CAPACITY: String(Math.max(50, n)) });
  const credentials = JSON.parse(readFileSync(join(server.dataDir, 'credentials.json'), 'utf8'));
  const url = server.url.replace('http', 'ws') + '/signal';
  const clients: ChildProcess[] = [];
  try {
    for (let index = 0; index < n; index++) {
      const identity = `bench-${index}`;
      const options: ClientOptions = { url, token: await mintAccessToken(credentials, { identity, room: 'bench' }), room: 'bench', identity, index };
      clients.push(fork(join(import.meta.dirname, 'synthetic-client.ts'), [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, HUDDLE_BENCH_CLIENT: JSON.stringify(options) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }));
      await sleep(150);
    }
    // Warm-up ends when every participant receives every other's audio and video (bounded).
    const deadline = Date.now() + (args.warmup + 30 + n) * 1000;
    while (Date.now() < deadline) {
      const reports = await Promise.all(clients.map(report));
      if (reports.every((r) => r.tracks === 2 * (n - 1))) break;
      await sleep(250);
    }
    await sleep(args.warmup * 1000);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { workers: { pid: number }[] };
    const pids = [server.process.pid!, ...health.workers.map((w) => w.pid)];
    const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);

    const before = { cpu: cpu(), forwarded: await metric(server, 'huddle_forwarded_packets_total'), at: Date.now(), reports: await Promise.all(clients.map(report)) };
    await sleep(args.seconds * 1000);
    const after = { cpu: cpu(), forwarded: await metric(server, 'huddle_forwarded_packets_total'), at: Date.now(), reports: await Promise.all(clients.map(report)) };

    const forwarded = after.forwarded - before.forwarded;
    const received = after.reports.reduce((s, r, i) => s + r.received - before.reports[i]!.received, 0);
    // Everything each publisher sent should reach the n - 1 others: lines that never started count as lost.
    const expected = after.reports.reduce((s, r, i) => s + r.sent - before.reports[i]!.sent, 0) * (n - 1);
    return {
      n,
      cpuMicrosPerPacket: forwarded > 0 ? ((after.cpu - before.cpu) * 1e6) / forwarded : NaN,
      forwardedPerSecond: forwarded / ((after.at - before.at) / 1000),
      loss: expected > 0 ? Math.max(0, 1 - received / expected) : 1,
      rssMiB: pids.reduce((sum, pid) => sum + rssMiB(pid), 0),
      eventLoopP99Ms: (await metric(server, 'huddle_process_nodejs_eventloop_lag_p99_seconds')) * 1000,
      clientsReceivingAll: after.reports.filter((r) => r.tracks === 2 * (n - 1)).length,
    };
  } finally {
    for (const client of clients) client.connected && client.send('stop');
    await server.stop();
  }
}

const args = parseArgs(process.argv.slice(2));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const results: ForwardingResult[] = [];
console.log(`Huddle forwarding bench — ${new Date().toISOString()} — ${machine}`);
console.log('N   | µs CPU/packet | forwarded/s | loss    | RSS MiB | loop p99 ms | all tracks | Janus µs/packet');
for (const n of args.n) {
  const r = await runOne(n, args);
  results.push(r);
  console.log(
    `${String(n).padEnd(3)} | ${r.cpuMicrosPerPacket.toFixed(1).padStart(13)} | ${r.forwardedPerSecond.toFixed(0).padStart(11)} | ${(r.loss * 100).toFixed(2).padStart(6)}% | ${r.rssMiB.toFixed(0).padStart(7)} | ${r.eventLoopP99Ms.toFixed(1).padStart(11)} | ${`${r.clientsReceivingAll}/${n}`.padStart(10)} | not run yet`,
  );
}
mkdirSync(args.out, { recursive: true });
const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
const file = join(args.out, `forwarding-${args.smoke ? 'smoke' : stamp}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, args, huddle: results, janus: null }, null, 2));
if (!args.smoke) writeFileSync(join(args.out, 'forwarding.svg'), forwardingChart(results, `${new Date().toISOString().slice(0, 10)}, ${machine}`));
console.log(`results: ${file}`);
process.exit(0);
