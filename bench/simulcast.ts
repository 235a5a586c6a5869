/**
 * The forwarding bench's simulcast mode (`npm run bench -- --simulcast`): N synthetic
 * participants in one all-to-all room, each publishing one camera in three simulcast layers on a
 * connection it offers (bench/layered-client.ts), each receiving ONE layer of every other camera
 * and switching it on a schedule (bench/layer-schedule.ts), on a fresh Huddle and then on a fresh
 * Janus VideoRoom with the same load and the same schedule. Per N and server: server CPU per
 * delivered packet, loss (sequence-number holes at the receivers: each server renumbers one
 * continuous stream per receiver), switches seen at the receivers against switches asked, how long
 * lines were on the layer asked for, and how long a switch took.
 *
 * Before the measured window every receiver must be on the layer it asked for of every publisher:
 * Janus sends any layer at once; Huddle first has to trust the receiver's link (its estimate starts
 * at 1 Mbit/s and grows 8 % a second while receiver reports show no loss).
 */

import type { ChildProcess } from 'node:child_process';
import { alternate } from './alternate';
import { wantedLayer } from './layer-schedule';
import type { LayeredReport } from './layered-client';
import { cpuSeconds, pinToCpus, rssMiB, threadCpuSeconds } from './proc';
import { BENCH_LAYERS, FRAMES_PER_SECOND, NOMINAL_LAYER_PACKETS_PER_SECOND } from './synthetic-layers';
import { command, reportAs, startSyntheticClient, stopSyntheticClient } from './synthetic-process';
import { huddleTarget, janusTarget, type ServerPlacement, type Target } from './targets';

export interface SimulcastArgs extends ServerPlacement {
  n: number[];
  seconds: number;
  warmup: number;
  repeat: number;
  clientCpus: string | undefined;
  /** Each receiver switches each publisher's layer this often. */
  switchPeriodMs: number;
  /** How long receivers may take to be on the layers they ask for before the window anyway (s). */
  settleSeconds: number;
  /** Print where the server's CPU went in the window, by thread name. */
  threads?: boolean;
}

export interface SimulcastResult {
  n: number;
  cpuMicrosPerPacket: number;
  deliveredPerSecond: number;
  /** Holes in the receivers' sequence numbers over what they should have received. */
  loss: number;
  /** What the cameras sent, as a share of three layers' nominal rate. */
  offered: number;
  cpuCores: number;
  rssMiB: number;
  /** Switches the receivers saw (a keyframe of another size) and asked for, in the window. */
  switches: number;
  asked: number;
  /** Share of the receivers' line-time spent on the layer asked for, in the window. */
  onTarget: number;
  /** From a receiver's ask to the new layer's first keyframe (ms), median and 95th percentile. */
  switchP50Ms: number;
  switchP95Ms: number;
  /** SSRC changes the receivers saw: 0 for a server that keeps each receiver's stream one stream. */
  ssrcChanges: number;
  /** Keyframes per second the cameras made, all together, in the window. */
  keyframesPerSecond: number;
  /** Seconds from the first join until every receiver was on the layers asked for (NaN: never). */
  settledSeconds: number;
  clientsReceivingAll: number;
}

const NO_REPORT: LayeredReport = {
  sent: 0,
  received: 0,
  tracks: 0,
  holes: 0,
  ssrcChanges: 0,
  switches: 0,
  asked: 0,
  offTarget: 0,
  onTargetMs: 0,
  lineMs: 0,
  latencies: [],
  keyframeRequests: 0,
  keyframes: 0,
};
/**
 * How long Huddle's estimate of a receiver's link takes to make room for the most this schedule
 * asks at once: it starts at 1 Mbit/s, grows 8 % a second while receiver reports show no loss,
 * and takes a layer up only with 15 % of it to spare (src/sfu/layers/downlink-estimate.ts,
 * downlink-allocator.ts). Until then Huddle may send a lower layer than asked, and the layer
 * choice would not be the schedule's; Janus sends what it is asked at once. The layers' rates are
 * taken 20 % over their frames (headers, and the keyframes that switching brings).
 */
export function huddleRampSeconds(n: number, periodMs: number): number {
  const layerBps = BENCH_LAYERS.map((layer) => layer.frameBytes * 8 * FRAMES_PER_SECOND * 1.2);
  let peak = 0;
  for (let subscriber = 0; subscriber < n; subscriber++) {
    const schedule = { subscriber, n, layers: BENCH_LAYERS.length, periodMs, startAtMs: 0 };
    for (let t = 0; t < periodMs * 2; t += periodMs / 50) {
      let need = 0;
      for (let publisher = 0; publisher < n; publisher++)
        if (publisher !== subscriber) need += layerBps[wantedLayer(schedule, publisher, t)]!;
      peak = Math.max(peak, need);
    }
  }
  const estimate = Math.min(peak / 0.85, 20_000_000);
  return Math.max(0, Math.log(estimate / 1_000_000) / Math.log(1.08));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const total = (reports: LayeredReport[], key: keyof Omit<LayeredReport, 'latencies'>) =>
  reports.reduce((sum, r) => sum + r[key], 0);
const percentile = (values: number[], p: number) =>
  values.length === 0
    ? NaN
    : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;

async function runOne(target: Target, n: number, args: SimulcastArgs): Promise<SimulcastResult> {
  const clients: ChildProcess[] = [];
  const reports = () => Promise.all(clients.map((client) => reportAs(client, NO_REPORT)));
  const started = Date.now();
  try {
    for (let index = 0; index < n; index++) {
      const options = await target.clientOptions(`bench-${index}`, index, n);
      const client = startSyntheticClient({ ...options, mode: 'layers', switchPeriodMs: args.switchPeriodMs });
      if (args.clientCpus) pinToCpus(client.pid!, args.clientCpus);
      clients.push(client);
      await sleep(150);
    }
    // Settled: everyone receives every other camera, each on the layer asked for, and (Huddle) the
    // receivers' links are trusted with all the schedule will ask.
    let settledSeconds = NaN;
    const rampMs = target.name === 'Huddle' ? huddleRampSeconds(n, args.switchPeriodMs) * 1000 : 0;
    let allFlowingAt: number | undefined;
    const deadline = started + (args.settleSeconds + n) * 1000;
    while (Date.now() < deadline) {
      const now = await reports();
      if (now.every((r) => r.tracks === n - 1)) allFlowingAt ??= Date.now();
      if (allFlowingAt !== undefined && Date.now() - allFlowingAt >= rampMs && now.every((r) => r.offTarget === 0)) {
        settledSeconds = (Date.now() - started) / 1000;
        break;
      }
      await sleep(250);
    }
    if (Number.isNaN(settledSeconds)) {
      const now = await reports();
      console.error(
        `${target.name}, N = ${n}: not settled after ${args.settleSeconds + n} s: lines received ${now.map((r) => r.tracks).join(' ')}, off the layer asked ${now.map((r) => r.offTarget).join(' ')}`,
      );
    }
    const switchAtMs = Date.now() + 500;
    for (const client of clients) command(client, { switchAtMs });
    await sleep(500 + args.warmup * 1000);

    const pids = await target.pids();
    const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const threads = () => pids.map((pid) => threadCpuSeconds(pid));
    const threadsBefore = args.threads ? threads() : [];
    const before = { cpu: cpu(), at: Date.now(), reports: await reports() };
    await sleep(args.seconds * 1000);
    const after = { cpu: cpu(), at: Date.now(), reports: await reports() };
    if (args.threads) printThreads(target.name, n, threadsBefore, threads(), (after.at - before.at) / 1000);

    const seconds = (after.at - before.at) / 1000;
    const delta = (key: keyof Omit<LayeredReport, 'latencies'>) =>
      total(after.reports, key) - total(before.reports, key);
    const received = delta('received');
    const holes = delta('holes');
    const latencies = after.reports.flatMap((r, i) => r.latencies.slice(before.reports[i]!.latencies.length));
    const lineMs = delta('lineMs');
    return {
      n,
      cpuMicrosPerPacket: received > 0 ? ((after.cpu - before.cpu) * 1e6) / received : NaN,
      deliveredPerSecond: received / seconds,
      loss: received + holes > 0 ? holes / (received + holes) : 1,
      offered: delta('sent') / seconds / (n * NOMINAL_LAYER_PACKETS_PER_SECOND),
      cpuCores: (after.cpu - before.cpu) / seconds,
      rssMiB: pids.reduce((sum, pid) => sum + rssMiB(pid), 0),
      switches: delta('switches'),
      asked: delta('asked'),
      onTarget: lineMs > 0 ? delta('onTargetMs') / lineMs : 0,
      switchP50Ms: percentile(latencies, 0.5),
      switchP95Ms: percentile(latencies, 0.95),
      ssrcChanges: delta('ssrcChanges'),
      keyframesPerSecond: delta('keyframes') / seconds,
      settledSeconds,
      clientsReceivingAll: after.reports.filter((r) => r.tracks === n - 1).length,
    };
  } finally {
    await Promise.all(clients.map(stopSyntheticClient));
  }
}

/** Each process's CPU over the window by thread name, as shares of a core. */
function printThreads(
  name: string,
  n: number,
  before: Map<string, number>[],
  after: Map<string, number>[],
  seconds: number,
) {
  const parts = after.map((threads, i) =>
    [...threads]
      .map(([thread, cpu]) => [thread, (cpu - (before[i]?.get(thread) ?? 0)) / seconds] as const)
      .filter(([, share]) => share >= 0.005)
      .sort((a, b) => b[1] - a[1])
      .map(([thread, share]) => `${thread} ${share.toFixed(3)}`)
      .join(', '),
  );
  console.log(`   ${name}, N = ${n}, cores by thread: ${parts.map((p, i) => `[process ${i + 1}] ${p}`).join('; ')}`);
}

async function fresh(start: (args: ServerPlacement) => Promise<Target>, n: number, args: SimulcastArgs) {
  const target = await start(args);
  try {
    return await runOne(target, n, args);
  } finally {
    await target.stop();
  }
}

/** Each figure's median over the runs (for an even count, the lower middle: a value that was measured). */
function median(results: SimulcastResult[]): SimulcastResult {
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const first = results[0]!;
  return Object.fromEntries(
    (Object.keys(first) as (keyof SimulcastResult)[]).map((key) => [key, middle(results.map((r) => r[key]))]),
  ) as unknown as SimulcastResult;
}

const fixed = (value: number | null | undefined, digits: number, width: number) =>
  (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)).padStart(width);
const pct = (value: number | undefined, digits: number, width: number) =>
  (value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(digits)}%`).padStart(width);

export async function simulcastSweep(
  args: SimulcastArgs,
  withJanus: boolean,
): Promise<{
  huddle: SimulcastResult[];
  janus: SimulcastResult[];
  runs: { server: string; result: SimulcastResult }[];
}> {
  console.log(
    `Simulcast: each participant publishes one camera in 3 layers (320×180, 640×360, 1280×720 at 15 fps: 15 + 45 + 105 packets/s) and receives ONE layer of every other camera; each receiver moves to the next layer of each publisher every ${args.switchPeriodMs / 1000} s (Huddle: trackPreferences renderHeight; Janus: configure substream)`,
  );
  console.log(
    'N  | µs CPU/packet Huddle  Janus  ratio | delivered/s Huddle   Janus | loss Huddle  Janus | switches seen/asked Huddle     Janus | on layer H     J | switch p50/p95 ms Huddle       Janus | keyframes/s H    J | cores H     J | settled s H   J',
  );
  const huddle: SimulcastResult[] = [];
  const janus: SimulcastResult[] = [];
  const runs: { server: string; result: SimulcastResult }[] = [];
  for (const n of args.n) {
    const both = await alternate(
      args.repeat,
      () => fresh(huddleTarget, n, args),
      withJanus ? () => fresh(janusTarget, n, args) : undefined,
      median,
    );
    runs.push(...both.runs);
    const h = both.huddle;
    huddle.push(h);
    const j = both.janus;
    if (j) janus.push(j);
    const switches = (r: SimulcastResult | undefined) => (r ? `${r.switches}/${r.asked}` : '–');
    const latency = (r: SimulcastResult | undefined) =>
      r ? `${fixed(r.switchP50Ms, 0, 0)}/${fixed(r.switchP95Ms, 0, 0)}` : '–';
    console.log(
      `${String(n).padEnd(2)} | ${fixed(h.cpuMicrosPerPacket, 1, 19)} ${fixed(j?.cpuMicrosPerPacket, 1, 6)} ${fixed(j ? h.cpuMicrosPerPacket / j.cpuMicrosPerPacket : null, 2, 6)} | ` +
        `${fixed(h.deliveredPerSecond, 0, 18)} ${fixed(j?.deliveredPerSecond, 0, 7)} | ${pct(h.loss, 2, 11)} ${pct(j?.loss, 2, 6)} | ` +
        `${switches(h).padStart(26)} ${switches(j).padStart(9)} | ${pct(h.onTarget, 1, 8)} ${pct(j?.onTarget, 1, 5)} | ` +
        `${latency(h).padStart(24)} ${latency(j).padStart(11)} | ${fixed(h.keyframesPerSecond, 1, 14)} ${fixed(j?.keyframesPerSecond, 1, 4)} | ` +
        `${fixed(h.cpuCores, 2, 7)} ${fixed(j?.cpuCores, 2, 5)} | ${fixed(h.settledSeconds, 0, 11)} ${fixed(j?.settledSeconds, 0, 3)}`,
    );
    for (const [name, r] of [
      ['Huddle', h],
      ['Janus', j],
    ] as const) {
      if (r && r.ssrcChanges > 0) console.log(`   ${name}: receivers saw ${r.ssrcChanges} SSRC changes`);
    }
  }
  return { huddle, janus, runs };
}
