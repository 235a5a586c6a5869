/**
 * Asks a publisher again for the video packets the SFU did not get (RFC 4585 generic NACK), so
 * uplink loss is repaired before any subscriber sees it. A gap is asked for as soon as it is
 * seen, then again every round trip until the packet comes, it is too old to be worth it, or it
 * was asked for too often. libdatachannel has no NACK generator, so this is ours.
 */

export interface NackPolicy {
  /** Give up on a packet after this many requests. */
  maxRequests: number;
  /** Or once it has been missing this long (ms): by then the picture has moved on. */
  maxAgeMs: number;
  /** Never ask again sooner than this (ms), whatever the round trip. */
  minIntervalMs: number;
  /** A gap wider than this is not worth repairing packet by packet: a keyframe is cheaper. */
  maxGap: number;
}

export const DEFAULT_NACK_POLICY: NackPolicy = { maxRequests: 10, maxAgeMs: 1000, minIntervalMs: 20, maxGap: 500 };

interface Missing {
  firstMissedMs: number;
  lastAskedMs: number;
  requests: number;
}

export class NackRequester {
  private readonly missing = new Map<number, Missing>();
  private highest = -1;

  constructor(private readonly policy: NackPolicy = DEFAULT_NACK_POLICY) {}

  get missingCount(): number {
    return this.missing.size;
  }

  /**
   * A packet arrived (unwrapped sequence number). Returns the sequence numbers to ask for now
   * (the new gap it revealed), or 'too-many' when the gap is beyond repair by retransmission.
   */
  onPacket(sequence: number, nowMs: number): number[] | 'too-many' {
    if (this.highest < 0) {
      this.highest = sequence;
      return [];
    }
    if (sequence <= this.highest) {
      this.missing.delete(sequence); // a retransmission, or a reordered packet
      return [];
    }
    const gap = sequence - this.highest - 1;
    const first = this.highest + 1;
    this.highest = sequence;
    if (gap === 0) return [];
    if (gap > this.policy.maxGap) {
      this.missing.clear();
      return 'too-many';
    }
    const asked: number[] = [];
    for (let s = first; s < sequence; s++) {
      this.missing.set(s, { firstMissedMs: nowMs, lastAskedMs: nowMs, requests: 1 });
      asked.push(s);
    }
    return asked;
  }

  /** The sequence numbers whose next request is due, given the round trip to the publisher. */
  due(nowMs: number, rttMs: number): number[] {
    const interval = Math.max(this.policy.minIntervalMs, rttMs);
    const due: number[] = [];
    for (const [sequence, entry] of this.missing) {
      if (entry.requests >= this.policy.maxRequests || nowMs - entry.firstMissedMs > this.policy.maxAgeMs) {
        this.missing.delete(sequence);
        continue;
      }
      if (nowMs - entry.lastAskedMs < interval) continue;
      entry.lastAskedMs = nowMs;
      entry.requests++;
      due.push(sequence);
    }
    return due;
  }
}
