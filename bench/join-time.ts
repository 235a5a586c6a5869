/**
 * Join time in Debian Chromium: a page clicks 'Join call' in a room where two pages (each with its
 * own solid-colour fake camera) are already talking, and the clock (in the page) stops when both
 * remote tiles have decoded a frame; repeated (leave, join again) for p50/p95. Also the server's CPU and RSS
 * while the three pages are in the call.
 * Run alone: npm run build && npx tsx bench/join-time.ts [joins=20] [seconds=20]
 */
import { startCall } from '../harness/call';
import { eventually, remoteTiles } from '../harness/call-page';
import { cpuSeconds, rssMiB } from './proc';

export interface JoinTimeResult {
  joins: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Server (main + media workers) with three pages in one call. */
  callCpuPercentOfCore: number;
  callRssMiB: number;
}

/**
 * Timed inside the page, not from the test runner: from the click event on 'Join call' to the
 * moment both remote tiles' videos have decoded a frame (videoWidth is set by the first decoded
 * frame), checked every 5 ms. A string, so no build helper leaks into the page.
 */
const WATCH_JOIN = `(() => {
  const join = (window.__join = {});
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Join call');
  button.addEventListener('click', () => (join.clickAt = performance.now()), { capture: true, once: true });
  const timer = setInterval(() => {
    const videos = [...document.querySelectorAll('.participant.remote video')];
    if (join.clickAt !== undefined && videos.length === 2 && videos.every((v) => v.videoWidth > 0)) {
      join.framesAt = performance.now();
      clearInterval(timer);
    }
  }, 5);
})()`;

interface Watched {
  __join: { clickAt?: number; framesAt?: number };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

export async function measureJoinTime(joins: number, seconds = 10): Promise<JoinTimeResult> {
  // One and Two are talking; Three is the page that joins, again and again.
  const call = await startCall({
    server: { HUDDLE_LOG_LEVEL: 'warn' },
    room: 'bench',
    people: [
      { name: 'One', colour: 'red' },
      { name: 'Two', colour: 'green' },
      { name: 'Three', colour: 'blue', join: false },
    ],
  });
  const { server } = call;
  try {
    const joiner = call.pages.Three;
    const times: number[] = [];
    for (let i = 0; i < joins; i++) {
      await joiner.locator('#username').fill('Three');
      await joiner.evaluate(WATCH_JOIN);
      await joiner.getByRole('button', { name: 'Join call' }).click();
      // Inline functions (not strings): the page's CSP forbids eval.
      await joiner.waitForFunction(() => (window as unknown as Watched).__join.framesAt !== undefined, null, {
        timeout: 30_000,
        polling: 50,
      });
      times.push(
        Math.round(
          await joiner.evaluate(
            () => (window as unknown as Watched).__join.framesAt! - (window as unknown as Watched).__join.clickAt!,
          ),
        ),
      );
      // What the person sees: both tiles really show pictures (the same check the e2e tests make).
      await eventually(
        () => remoteTiles(joiner),
        (t) => t.length === 2 && t.every((x) => x.videoWidth > 0),
        'remote frames',
        30_000,
      );
      if (i < joins - 1) {
        await joiner.getByRole('button', { name: 'Leave call' }).click();
        await joiner.getByRole('button', { name: 'Join call' }).waitFor();
      }
    }
    const pids = [server.process.pid!, ...(await server.health()).workers.map((w) => w.pid)];
    const totalCpu = () => pids.reduce((sum, p) => sum + cpuSeconds(p), 0);
    const cpuBefore = totalCpu();
    const wallBefore = Date.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const cpu = totalCpu() - cpuBefore;
    const wall = (Date.now() - wallBefore) / 1000;
    return {
      joins,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: Math.max(...times),
      callCpuPercentOfCore: (cpu / wall) * 100,
      callRssMiB: pids.reduce((sum, p) => sum + rssMiB(p), 0),
    };
  } finally {
    await call.close();
  }
}

if (process.argv[1]?.endsWith('join-time.ts')) {
  const result = await measureJoinTime(Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 20));
  console.log(
    `join → both remote tiles decoding, ${result.joins} joins: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms`,
  );
  console.log(
    `server with 3 pages in one call: ${result.callCpuPercentOfCore.toFixed(1)} % of one core, RSS ${result.callRssMiB.toFixed(0)} MiB`,
  );
}
