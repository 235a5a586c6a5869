/**
 * One subscriber's downlink: its estimate, fed once a second from what was sent to it and what
 * its browser reported of it, and the layer of each video it receives in layers (allocator).
 */
import type { Subscription } from '../subscription.js';
import { allocate } from './downlink-allocator.js';
import { DownlinkEstimate } from './downlink-estimate.js';

const INTERVAL_MS = 1000;
/** A REMB older than this no longer says anything about the link. */
const REMB_FRESH_MS = 3000;

export interface DownlinkContext {
  subscriptions(): Iterable<Subscription>;
  /** Lower goes first when the link is shared out (see downlink-allocator.ts). */
  rankOf(subscription: Subscription): number;
}

export class SubscriberDownlink {
  readonly estimate = new DownlinkEstimate();
  private lastMs = Number.NEGATIVE_INFINITY;
  /** Each subscription's sent octets and loss totals at the last sample. */
  private readonly seen = new WeakMap<Subscription, { octets: number; lost: number; expected: number }>();

  constructor(private readonly context: DownlinkContext) {}

  tick(nowMs: number): void {
    if (nowMs - this.lastMs < INTERVAL_MS) return;
    const seconds = Number.isFinite(this.lastMs) ? (nowMs - this.lastMs) / 1000 : 0;
    this.lastMs = nowMs;
    let bits = 0;
    let reservedBits = 0;
    let lost = 0;
    let expected = 0;
    let remb: number | undefined;
    const layered: Subscription[] = [];
    for (const subscription of this.context.subscriptions()) {
      const { octets } = subscription.line.sent;
      const totals = subscription.downlinkTotals;
      const before = this.seen.get(subscription);
      this.seen.set(subscription, { octets, lost: totals.lost, expected: totals.expected });
      // A line given to a new track counts afresh.
      const sent = before && octets >= before.octets ? octets - before.octets : 0;
      bits += sent * 8;
      if (before) {
        lost += totals.lost - before.lost;
        expected += totals.expected - before.expected;
      }
      if (subscription.publication.layered) layered.push(subscription);
      else reservedBits += sent * 8;
      if (subscription.remb && nowMs - subscription.remb.atMs < REMB_FRESH_MS) {
        remb = Math.max(remb ?? 0, subscription.remb.bitrate);
      }
    }
    this.estimate.update({ bits, lost, expected, remb }, nowMs);
    if (layered.length === 0 || seconds === 0) return;
    const videos = layered.map((subscription) => ({
      layers: subscription.publication.layered!.layers,
      target: subscription.layers.target,
      rank: this.context.rankOf(subscription),
    }));
    const targets = allocate(
      videos,
      this.estimate.bitrate,
      reservedBits / seconds,
      this.estimate.canGrow(nowMs),
      nowMs,
    );
    for (const [i, subscription] of layered.entries()) subscription.layers.target = targets[i]!;
  }
}
