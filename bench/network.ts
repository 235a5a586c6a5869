/**
 * The network lab bench: Huddle on constrained links, beside a direct browser-to-browser call on
 * the same links in the same run (what libwebrtc achieves end to end). For every video: frames
 * decoded per second, the share of time frozen, resolution, bitrate; for the publishers: what they
 * sent, keyframes per minute, why Chrome limited them. Table on stdout, JSON and an SVG chart in
 * --out (docs/bench/README.md shows docs/bench/network.svg). Needs root (network namespaces, tc).
 *
 * Then a room of eight: one person behind a 2 Mbit/s downlink watching seven cameras (light
 * processes sending real VP8 layers; no direct call: seven browser cameras are more than two cores
 * can encode, and these replay a clip without adapting to a mesh's seven uplinks).
 *
 *   npm run bench:network -- [--seconds 30] [--warmup 15] [--only uplink,downlink,lossy,lossy-uplink,control,room-of-8] [--out bench/results]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type LabRun, type LabScenario, runScenario } from '../harness/lab';
import { type CrowdRun, runCrowd } from '../harness/lab-crowd';
import { control, lossyPublisher, lossyViewer, roomOfEight, thinDownlink, thinUplink } from '../harness/lab-scenarios';
import { labUnavailable } from '../harness/network-lab';
import { startServer } from '../harness/server';
import { networkChart } from './network-chart';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  huddle: LabRun;
  p2p: LabRun;
}

const DESCRIPTIONS: Record<string, string> = {
  uplink: 'publisher behind a 500 kbit/s uplink, two viewers',
  downlink: 'receiver behind a 700 kbit/s downlink, three publishers',
  lossy: 'one viewer of three loses 5 % of packets each way',
  'lossy-uplink': 'the publisher loses 3 % of what it sends',
  control: 'nothing shaped (is the machine the bottleneck?)',
};

const why = labUnavailable();
if (why) {
  console.error(`bench:network cannot run here: ${why}`);
  process.exit(1);
}
const timing = { warmupSeconds: Number(arg('--warmup') ?? 15), seconds: Number(arg('--seconds') ?? 30) };
const only = (arg('--only') ?? 'uplink,downlink,lossy,lossy-uplink,control,room-of-8').split(',');
const out = arg('--out') ?? 'bench/results';
const scenarios: Array<[string, LabScenario]> = [
  ['uplink', thinUplink(timing)],
  ['downlink', thinDownlink(timing)],
  ['lossy', lossyViewer(timing)],
  ['lossy-uplink', lossyPublisher(timing)],
  ['control', control(timing)],
].filter(([key]) => only.includes(key as string)) as Array<[string, LabScenario]>;

const server = await startServer({ HOST: '0.0.0.0', HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn' });
const results: ScenarioResult[] = [];
let crowd: CrowdRun | undefined;
try {
  for (const [key, scenario] of scenarios) {
    process.stderr.write(`${scenario.name}: Huddle…\n`);
    const huddle = await runScenario(scenario, 'huddle', server);
    process.stderr.write(`${scenario.name}: direct call…\n`);
    const p2p = await runScenario(scenario, 'p2p', server);
    results.push({ scenario: scenario.name, description: DESCRIPTIONS[key]!, huddle, p2p });
  }
  if (only.includes('room-of-8')) {
    process.stderr.write('room of 8: Huddle…\n');
    crowd = await runCrowd(roomOfEight(timing), server);
  }
} finally {
  await server.stop();
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
console.log(
  '\nscenario              viewer ← video       system   fps   frozen   size      kbit/s  keyframes  lost  NACKs  PLIs',
);
for (const result of results) {
  for (const run of [result.huddle, result.p2p]) {
    for (const view of run.views) {
      console.log(
        [
          result.scenario.padEnd(21),
          `${view.viewer} ← ${view.from}`.padEnd(20),
          run.system.padEnd(7),
          view.fps.toFixed(1).padStart(5),
          pct(view.frozen).padStart(8),
          `${view.width}×${view.height}`.padStart(9),
          view.kbps.toFixed(0).padStart(8),
          String(view.keyframes).padStart(9),
          String(view.lost).padStart(4),
          String(view.nacks).padStart(5),
          String(view.plis).padStart(4),
        ].join('  '),
      );
    }
  }
}
console.log('\npublishers            system   kbit/s sent  fps   keyframes/min  limited by   PLIs  NACKs');
for (const result of results) {
  for (const run of [result.huddle, result.p2p]) {
    for (const [name, sent] of Object.entries(run.sent)) {
      if (!sent) continue;
      console.log(
        [
          `${result.scenario} ${name}`.padEnd(21),
          run.system.padEnd(7),
          sent.kbps.toFixed(0).padStart(11),
          sent.fps.toFixed(1).padStart(5),
          sent.keyframesPerMinute.toFixed(1).padStart(13),
          sent.limitation.padEnd(11),
          String(sent.plis).padStart(5),
          String(sent.nacks).padStart(6),
        ].join('  '),
      );
    }
  }
}

if (crowd) {
  console.log('\nroom of 8, the viewer behind 2 Mbit/s ← each camera   fps   frozen   size      kbit/s');
  for (const view of crowd.views) {
    console.log(
      [
        `  ← ${view.from}`.padEnd(52),
        view.fps.toFixed(1).padStart(5),
        pct(view.frozen).padStart(8),
        `${view.width}×${view.height}`.padStart(9),
        view.kbps.toFixed(0).padStart(8),
      ].join('  '),
    );
  }
  console.log(
    `  the seven sent ${crowd.sentKbps.map((k) => k.toFixed(0)).join(' + ')} kbit/s (low + top layers, summed)`,
  );
}

if (!existsSync(out)) mkdirSync(out, { recursive: true });
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
const file = join(out, `network-${date}.json`);
writeFileSync(file, `${JSON.stringify({ date, machine, timing, results, roomOfEight: crowd ?? null }, null, 2)}\n`);
writeFileSync(
  join(out, 'network.svg'),
  networkChart(results, `${date}, ${machine}; ${timing.seconds} s measured after ${timing.warmupSeconds} s`),
);
console.log(`\nwrote ${file} and ${join(out, 'network.svg')}`);
// Done: leave now rather than wait for every handle the runs opened to close (the process stayed
// up after the room of eight, its publishers' connections still counted by the event loop).
process.exit(0);
