import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECONNECT_DEADLINE_MS,
  DEFAULT_RECONNECT_DELAYS_MS,
  ReconnectPolicy,
} from '../../src/sdk/reconnect-policy';

describe('the SDK reconnect policy', () => {
  it('waits 100, 250, 500 ms, 1 s, 2 s, then every 3 s', () => {
    const policy = new ReconnectPolicy();
    const waits = Array.from({ length: 9 }, (_, attempt) => policy.nextDelay(attempt, 1000));
    expect(waits).toEqual([100, 250, 500, 1000, 2000, 3000, 3000, 3000, 3000]);
    expect(DEFAULT_RECONNECT_DELAYS_MS).toEqual([100, 250, 500, 1000, 2000, 3000]);
  });

  it('gives up once 30 s have passed since the loss, not before', () => {
    const policy = new ReconnectPolicy();
    expect(DEFAULT_RECONNECT_DEADLINE_MS).toBe(30_000);
    expect(policy.nextDelay(12, 30_000)).toBe(3000);
    expect(policy.nextDelay(12, 30_001)).toBeNull();
  });

  it('always makes the first attempt, even with a deadline of 0', () => {
    const policy = new ReconnectPolicy(DEFAULT_RECONNECT_DELAYS_MS, 0);
    expect(policy.nextDelay(0, 0)).toBe(100);
    expect(policy.nextDelay(1, 101)).toBeNull();
  });

  it('takes its own delays and deadline, and refuses an empty list of delays', () => {
    const policy = new ReconnectPolicy([10, 20], 50);
    expect([0, 1, 2].map((attempt) => policy.nextDelay(attempt, 40))).toEqual([10, 20, 20]);
    expect(policy.nextDelay(3, 60)).toBeNull();
    expect(() => new ReconnectPolicy([])).toThrow(expect.objectContaining({ huddleCode: 'CONFIG_INVALID' }));
  });

  it('gives the same total wait before giving up as the SDK did: about 30 s of attempts, then the end', () => {
    const policy = new ReconnectPolicy();
    let elapsed = 0;
    let attempts = 0;
    for (;;) {
      const delay = policy.nextDelay(attempts, elapsed);
      if (delay === null) break;
      elapsed += delay + 50; // each failed attempt takes a little time of its own
      attempts++;
    }
    expect(attempts).toBe(14);
    expect(elapsed).toBeGreaterThan(DEFAULT_RECONNECT_DEADLINE_MS);
    expect(elapsed).toBeLessThan(DEFAULT_RECONNECT_DEADLINE_MS + 3100);
  });
});
