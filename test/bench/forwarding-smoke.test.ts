/**
 * The forwarding bench's smoke mode, so the bench cannot rot: N = 2 synthetic participants for a
 * few seconds on Huddle, and on Janus too where it is installed (CI installs it); then the same
 * in the simulcast mode, cameras in layers and receivers switching between them.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ForwardingResult } from '../../bench/forwarding-result';
import { janusVersion } from '../../bench/janus-server';
import type { SimulcastResult } from '../../bench/simulcast';

interface SmokeResults {
  huddle: ForwardingResult[];
  janus: ForwardingResult[] | null;
  janusMissing: string | null;
  simulcast: { huddle: SimulcastResult[]; janus: SimulcastResult[] };
}

function expectBothWaysFlowing(result: ForwardingResult | undefined) {
  expect(result!.n).toBe(2);
  // Each publishes 170 packets/s to one other: about 340 delivered per second.
  expect(result!.deliveredPerSecond).toBeGreaterThan(250);
  expect(result!.clientsReceivingAll).toBe(2);
  expect(result!.cpuMicrosPerPacket).toBeGreaterThan(0);
  expect(result!.loss).toBeLessThan(0.05);
}

function expectLayersSwitching(result: SimulcastResult | undefined) {
  expect(result!.n).toBe(2);
  expect(result!.clientsReceivingAll).toBe(2);
  // Each receiver asked for another layer about every 2 s, and saw it arrive (a keyframe of its size).
  expect(result!.asked).toBeGreaterThan(0);
  expect(result!.switches).toBeGreaterThan(0);
  // One continuous stream per receiver: one SSRC, sequence numbers without holes.
  expect(result!.ssrcChanges).toBe(0);
  expect(result!.loss).toBeLessThan(0.05);
  expect(result!.cpuMicrosPerPacket).toBeGreaterThan(0);
}

describe('npm run bench -- --smoke', () => {
  it("runs end to end: both participants' tracks flow to each other, in layers too, on Huddle and on Janus, and the results are written", () => {
    const out = mkdtempSync(join(tmpdir(), 'huddle-bench-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/forwarding.ts', '--smoke', '--out', out], {
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('µs CPU/packet Huddle  Janus  ratio');
    const results = JSON.parse(readFileSync(join(out, 'forwarding-smoke.json'), 'utf8')) as SmokeResults;
    expectBothWaysFlowing(results.huddle[0]);
    expectLayersSwitching(results.simulcast.huddle[0]);
    if (janusVersion()) {
      expect(results.janusMissing).toBeNull();
      expectBothWaysFlowing(results.janus?.[0]);
      expectLayersSwitching(results.simulcast.janus[0]);
    } else {
      // Without Janus the table says why its column is empty.
      expect(run.stdout).toContain('Janus not run: Janus is not installed');
    }
  }, 180_000);
});
