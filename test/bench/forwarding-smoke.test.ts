/** The forwarding bench's smoke mode, so the bench cannot rot: N = 2 synthetic participants for a few seconds. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForwardingResult } from '../../bench/forwarding';

describe('npm run bench -- --smoke', () => {
  it("runs end to end: both participants' tracks flow to each other and the results are written", () => {
    const out = mkdtempSync(join(tmpdir(), 'huddle-bench-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/forwarding.ts', '--smoke', '--out', out], { encoding: 'utf8', timeout: 90_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('µs CPU/packet');
    const { huddle } = JSON.parse(readFileSync(join(out, 'forwarding-smoke.json'), 'utf8')) as { huddle: ForwardingResult[] };
    const [result] = huddle;
    expect(result!.n).toBe(2);
    // Each publishes 170 packets/s to one other: about 340 delivered per second.
    expect(result!.deliveredPerSecond).toBeGreaterThan(250);
    expect(result!.clientsReceivingAll).toBe(2);
    expect(result!.cpuMicrosPerPacket).toBeGreaterThan(0);
    expect(result!.loss).toBeLessThan(0.05);
  }, 120_000);
});
