/**
 * Forwarding bench: N synthetic participants (separate processes, node-datachannel, no browser)
 * in one all-to-all room, on a freshly started Huddle server and then, with the same clients and
 * load, on a freshly started Janus (VideoRoom). For each N and each server: server CPU-µs per
 * delivered packet (utime+stime from /proc of the server's processes, over the RTP packets its
 * receivers counted), packets delivered per second, loss seen by the receivers
 * (1 − received / (sent × (N − 1))), server RSS, and (Huddle) the event-loop delay p99.
 * Then (unless --joins 0) join time in Chromium. Table on stdout, JSON + SVG in --out.
 *
 *   npm run bench -- [--n 2,4,8,12,16,20,25] [--seconds 10] [--repeat 1] [--joins 20] [--out bench/results]
 *                    [--no-janus | --install-janus] [--server-cpus 0 --client-cpus 1] [--profile DIR]
 *   npm run bench -- --smoke          (N = 2, a few seconds, Janus too if installed: what npm test runs)
 */

import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from '../harness/browser';
import { alternate } from './alternate';
import type { ForwardingResult } from './forwarding-result';
import { ensureJanus, janusVersion as installedJanusVersion } from './janus-server';
import { type JoinTimeResult, measureJoinTime } from './join-time';
import { SWITCH_PERIOD_MS } from './layered-client';
import { cpuSeconds, mayRaisePriority, pinToCpus, rssMiB } from './proc';
import { type SimulcastResult, simulcastSweep } from './simulcast';
import { forwardingChart } from './svg-chart';
import { report, startSyntheticClient, stopSyntheticClient } from './synthetic-process';
import { huddleTarget, janusTarget, type ServerPlacement, type Target } from './targets';

interface Args extends ServerPlacement {
  n: number[];
  seconds: number;
  warmup: number;
  /** Runs per N and server; the table shows the median of each figure. */
  repeat: number;
  joins: number;
  out: string;
  smoke: boolean;
  /** undefined: ask when stdin is a terminal. */
  installJanus: boolean | undefined;
  serverCpus: string | undefined;
  clientCpus: string | undefined;
  /**
   * Nice value for every thread of the server under test (both servers alike): the clients share
   * this machine and would otherwise take CPU a real server would have to itself. Default −10
   * when this user may raise priorities, else unchanged.
   */
  serverNice: number | undefined;
  /** Folder for V8 CPU profiles of Huddle's media workers (node --cpu-prof), one per N. */
  profile: string | undefined;
  /** The simulcast mode instead (bench/simulcast.ts): layered cameras, one layer per receiver, switching. */
  simulcast: boolean;
  /** Simulcast: each receiver switches each publisher's layer this often (ms). */
  switchPeriodMs: number;
  /** Simulcast: print the servers' CPU by thread over each window. */
  threads: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const smoke = argv.includes('--smoke');
  const simulcast = argv.includes('--simulcast');
  return {
    smoke,
    simulcast,
    switchPeriodMs: Number(value('--switch-period') ?? SWITCH_PERIOD_MS / 1000) * 1000,
    threads: argv.includes('--threads'),
    n: smoke ? [2] : (value('--n') ?? (simulcast ? '2,4,8,12,16' : '2,4,8,12,16,20,25')).split(',').map(Number),
    seconds: Number(value('--seconds') ?? (smoke ? 3 : simulcast ? 20 : 10)),
    warmup: Number(value('--warmup') ?? (smoke ? 1 : 3)),
    repeat: smoke ? 1 : Math.max(1, Number(value('--repeat') ?? 1)),
    joins: smoke || simulcast ? 0 : Number(value('--joins') ?? 20),
    out: value('--out') ?? 'bench/results',
    // The smoke run includes Janus when it is installed (CI installs it), so its driver cannot rot either.
    installJanus: argv.includes('--no-janus') ? false : argv.includes('--install-janus') ? true : undefined,
    serverCpus: value('--server-cpus'),
    clientCpus: value('--client-cpus'),
    profile: value('--profile'),
    serverNice:
      value('--server-nice') !== undefined
        ? Number(value('--server-nice'))
        : smoke || !mayRaisePriority()
          ? undefined
          : -10,
  };
}

/** Each synthetic participant's nominal rate: 120 video + 50 audio packets/s. */
const NOMINAL_PACKETS_PER_SECOND = 170;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runOne(target: Target, n: number, args: Args): Promise<ForwardingResult> {
  const clients: ChildProcess[] = [];
  try {
    for (let index = 0; index < n; index++) {
      const client = startSyntheticClient(await target.clientOptions(`bench-${index}`, index, n));
      if (args.clientCpus) pinToCpus(client.pid!, args.clientCpus);
      clients.push(client);
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
    const pids = await target.pids();
    const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);

    const before = { cpu: cpu(), at: Date.now(), reports: await Promise.all(clients.map(report)) };
    await sleep(args.seconds * 1000);
    const after = { cpu: cpu(), at: Date.now(), reports: await Promise.all(clients.map(report)) };

    const seconds = (after.at - before.at) / 1000;
    const silent = after.reports
      .map((r, i) => (r.sent === before.reports[i]!.sent ? `bench-${i}` : ''))
      .filter(Boolean);
    if (silent.length > 0 || after.reports.some((r) => r.tracks < 2 * (n - 1))) {
      console.error(
        `${target.name}, N = ${n}: not everyone connected (sending nothing: ${silent.join(', ') || 'none'}); lines received per client: ${after.reports.map((r) => r.tracks).join(' ')}`,
      );
      console.error(target.output().split('\n').slice(-15).join('\n'));
    }
    const received = after.reports.reduce((s, r, i) => s + r.received - before.reports[i]!.received, 0);
    // Everything each publisher sent should reach the n - 1 others: lines that never started count as lost.
    const expected = after.reports.reduce((s, r, i) => s + r.sent - before.reports[i]!.sent, 0) * (n - 1);
    return {
      n,
      cpuMicrosPerPacket: received > 0 ? ((after.cpu - before.cpu) * 1e6) / received : NaN,
      deliveredPerSecond: received / seconds,
      loss: expected > 0 ? Math.max(0, 1 - received / expected) : 1,
      offered: expected / (n - 1) / seconds / (n * NOMINAL_PACKETS_PER_SECOND),
      cpuCores: (after.cpu - before.cpu) / seconds,
      rssMiB: pids.reduce((sum, pid) => sum + rssMiB(pid), 0),
      eventLoopP99Ms: await target.eventLoopP99Ms(),
      clientsReceivingAll: after.reports.filter((r) => r.tracks === 2 * (n - 1)).length,
    };
  } finally {
    await Promise.all(clients.map(stopSyntheticClient));
  }
}

async function sweep(start: (args: Args) => Promise<Target>, n: number, args: Args): Promise<ForwardingResult> {
  // A fresh server per N: nothing left over from the previous room.
  const target = await start(args);
  try {
    return await runOne(target, n, args);
  } finally {
    await target.stop();
  }
}

/** Each figure's median over the runs (for an even count, the lower middle: a value that was measured). */
function median(results: ForwardingResult[]): ForwardingResult {
  if (results.length === 1) return results[0]!;
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const loops = results.map((r) => r.eventLoopP99Ms);
  return {
    n: results[0]!.n,
    cpuMicrosPerPacket: middle(results.map((r) => r.cpuMicrosPerPacket)),
    deliveredPerSecond: middle(results.map((r) => r.deliveredPerSecond)),
    loss: middle(results.map((r) => r.loss)),
    offered: middle(results.map((r) => r.offered)),
    cpuCores: middle(results.map((r) => r.cpuCores)),
    rssMiB: middle(results.map((r) => r.rssMiB)),
    eventLoopP99Ms: loops.every((l) => l !== null) ? middle(loops as number[]) : null,
    clientsReceivingAll: middle(results.map((r) => r.clientsReceivingAll)),
  };
}

const fixed = (value: number | null | undefined, digits: number, width: number) =>
  (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)).padStart(width);

const args = parseArgs(process.argv.slice(2));
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const janusMissing = await ensureJanus(args.installJanus);
const janusVersion = janusMissing ? null : installedJanusVersion();
console.log(`Huddle forwarding bench — ${new Date().toISOString()} — ${machine}`);
console.log(
  `${args.seconds} s per run after warm-up, ${args.repeat === 1 ? 'one run' : `median of ${args.repeat} runs`} per N and server; ${janusMissing ? `Janus not run: ${janusMissing}` : `Janus ${janusVersion} (VideoRoom) on the same load`}`,
);
console.log(
  `server threads at nice ${args.serverNice ?? 0}${args.serverCpus ? `, pinned to CPUs ${args.serverCpus}` : ''}; clients at nice 0${args.clientCpus ? `, pinned to CPUs ${args.clientCpus}` : ''}`,
);
const date = new Date().toISOString();
const stamp = args.smoke ? 'smoke' : date.slice(0, 19).replace(/[:T]/g, '-');
mkdirSync(args.out, { recursive: true });
const saved = (file: string, results: object) => {
  writeFileSync(
    file,
    JSON.stringify({ date, machine, args, janusVersion, janusMissing: janusMissing ?? null, ...results }, null, 2),
  );
  console.log(`results: ${file}`);
};

if (args.simulcast) {
  const results = await simulcastSweep({ ...args, settleSeconds: 90 }, !janusMissing);
  saved(join(args.out, `simulcast-${stamp}.json`), { ...results, janus: janusMissing ? null : results.janus });
  process.exit(0);
}

console.log(
  'N  | µs CPU/packet Huddle  Janus  ratio | delivered/s Huddle   Janus | loss Huddle  Janus | offered H    J | cores Huddle Janus | RSS MiB H    J | loop p99 ms',
);
const huddle: ForwardingResult[] = [];
const janus: ForwardingResult[] = [];
const runs: { server: string; result: ForwardingResult }[] = [];
for (const n of args.n) {
  const both = await alternate(
    args.repeat,
    () => sweep(huddleTarget, n, args),
    janusMissing ? undefined : () => sweep(janusTarget, n, args),
    median,
  );
  runs.push(...both.runs);
  const h = both.huddle;
  huddle.push(h);
  const j = both.janus;
  if (j) janus.push(j);
  const pct = (r: ForwardingResult | undefined) => (r ? `${(r.loss * 100).toFixed(2)}%` : '–').padStart(6);
  console.log(
    `${String(n).padEnd(2)} | ${fixed(h.cpuMicrosPerPacket, 1, 19)} ${fixed(j?.cpuMicrosPerPacket, 1, 6)} ${fixed(j ? h.cpuMicrosPerPacket / j.cpuMicrosPerPacket : null, 2, 6)} | ` +
      `${fixed(h.deliveredPerSecond, 0, 18)} ${fixed(j?.deliveredPerSecond, 0, 7)} | ${pct(h).padStart(11)} ${pct(j)} | ` +
      `${fixed(h.offered * 100, 0, 8)}% ${fixed(j ? j.offered * 100 : null, 0, 3)}% | ` +
      `${fixed(h.cpuCores, 2, 12)} ${fixed(j?.cpuCores, 2, 5)} | ${fixed(h.rssMiB, 0, 9)} ${fixed(j?.rssMiB, 0, 4)} | ${fixed(h.eventLoopP99Ms, 1, 11)}`,
  );
}

let joinTime: JoinTimeResult | null = null;
if (args.joins > 0 && !existsSync(CHROMIUM)) {
  console.log(`Join time not measured: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
} else if (args.joins > 0) {
  try {
    joinTime = await measureJoinTime(args.joins);
    console.log(
      `Join time in Chromium (click 'Join call' → both remote tiles decoding, room of 2, ${args.joins} joins): p50 ${joinTime.p50Ms} ms, p95 ${joinTime.p95Ms} ms, max ${joinTime.maxMs} ms`,
    );
  } catch (error) {
    // The forwarding figures are still worth saving.
    console.log(`Join time not measured: ${(error as Error).message.split('\n')[0]}`);
  }
}

// The smoke run also runs the simulcast mode a little, so its clients cannot rot either.
let simulcast: { huddle: SimulcastResult[]; janus: SimulcastResult[] } | null = null;
if (args.smoke) {
  const { huddle, janus } = await simulcastSweep(
    { ...args, seconds: 4, warmup: 1, switchPeriodMs: 2000, settleSeconds: 30 },
    !janusMissing,
  );
  simulcast = { huddle, janus };
}

const file = join(args.out, `forwarding-${stamp}.json`);
saved(file, { huddle, janus: janusMissing ? null : janus, joinTime, runs, ...(simulcast ? { simulcast } : {}) });
if (!args.smoke)
  writeFileSync(
    join(args.out, 'forwarding.svg'),
    forwardingChart(huddle, janus, `${date.slice(0, 10)}, ${machine}${janusVersion ? `, Janus ${janusVersion}` : ''}`),
  );
process.exit(0);
