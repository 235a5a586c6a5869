/**
 * Measures a real call in Chromium on this machine:
 *  - join time: click 'Join call' → every remote tile has decoded a frame, for a page joining a
 *    room that already has two people (repeated; p50/p95);
 *  - server CPU (utime+stime from /proc) and RSS while three pages are in a call.
 * Run: npm run build && npx tsx bench/call-measure.ts [joins=10] [seconds=20]
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { launchChromium } from '../test/helpers/browser';
import { join, remoteTiles, eventually } from '../test/helpers/call-page';
import { writeColourY4m } from '../test/helpers/fake-camera';
import { startServer } from '../test/helpers/server';

const joins = Number(process.argv[2] ?? 10);
const seconds = Number(process.argv[3] ?? 20);
const CLOCK_TICKS = 100;

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

const server = await startServer({ HUDDLE_LOG_LEVEL: 'warn' });
const pid = server.process.pid!;
const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-bench-'));
const browsers = await Promise.all((['red', 'green', 'blue'] as const).map((c) => launchChromium({ videoFile: writeColourY4m(dir, c) })));
const pages = await Promise.all(browsers.map((b) => b.newPage()));
for (const page of pages) await page.goto(`${server.url}/room/bench`);
await join(pages[0]!, 'One');
await join(pages[1]!, 'Two');
const joiner = pages[2]!;

const times: number[] = [];
for (let i = 0; i < joins; i++) {
  await joiner.locator('#username').fill('Three');
  const started = Date.now();
  await joiner.getByRole('button', { name: 'Join call' }).click();
  await eventually(() => remoteTiles(joiner), (t) => t.length === 2 && t.every((x) => x.videoWidth > 0), 'remote frames', 30_000);
  times.push(Date.now() - started);
  if (i < joins - 1) {
    await joiner.getByRole('button', { name: 'Leave call' }).click();
    await joiner.getByRole('button', { name: 'Join call' }).waitFor();
  }
}

// The server is its main process plus its media workers.
const health = (await (await fetch(`${server.url}/healthz`)).json()) as { workers: { pid: number }[] };
const pids = [pid, ...health.workers.map((w) => w.pid)];
const totalCpu = () => pids.reduce((sum, p) => sum + cpuSeconds(p), 0);
const cpuBefore = totalCpu();
const wallBefore = Date.now();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const cpu = totalCpu() - cpuBefore;
const wall = (Date.now() - wallBefore) / 1000;

console.log(`join → first remote frames (2 remote tiles), ${joins} joins: p50 ${percentile(times, 50)} ms, p95 ${percentile(times, 95)} ms, max ${Math.max(...times)} ms`);
const rss = pids.reduce((sum, p) => sum + rssMiB(p), 0);
console.log(`server (main + ${pids.length - 1} media workers) with 3 pages in one call: ${((cpu / wall) * 100).toFixed(1)} % of one core, RSS ${rss.toFixed(0)} MiB in all, over ${wall.toFixed(0)} s`);
await Promise.all(browsers.map((b) => b.close()));
await server.stop();
