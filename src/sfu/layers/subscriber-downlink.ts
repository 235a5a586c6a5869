/**
 * One subscriber's downlink: its estimate, fed once a second from what was sent to it and what
 * its browser reported of it (and at once when its REMB falls), and the layer of each video it
 * receives in layers (allocator), or that video switched off.
 */
import type { SwitchOffReason } from '../../protocol/messages.js';
import type { Subscription } from '../subscription.js';
import { allocate, lowestNeed, SWITCH_OFF_NEED } from './downlink-allocator.js';
import { DownlinkEstimate } from './downlink-estimate.js';
import { ResendBudget } from './resend-budget.js';

const INTERVAL_MS = 1000;
/** Videos are switched off for the link only once it has been short this long. */
const SHORT_FOR_MS = 4000;

export interface DownlinkContext {
  subscriptions(): Iterable<Subscription>;
  /** Lower goes first when the link is shared out (see downlink-allocator.ts). */
  rankOf(subscription: Subscription): number;
  /** The subscriber's maxSubscriptionBitrate (bits/s), if it set one. */
  maxBitrate(): number | undefined;
  /** A video was switched off (why) or on (null): the subscriber is told. */
  switched(subscription: Subscription, off: SwitchOffReason | null): void;
  /** Each second's sample, estimate and layers, for diagnosis (a debug log). */
  trace?(fields: Record<string, unknown>): void;
}

export class SubscriberDownlink {
  readonly estimate = new DownlinkEstimate();
  /** What resends may add to the link, all its videos together: a share of the estimate. */
  readonly resends = new ResendBudget(() => this.estimate.bitrate);
  private lastMs = Number.NEGATIVE_INFINITY;
  /** Each subscription's sent octets and loss totals at the last sample. */
  private readonly seen = new WeakMap<Subscription, { octets: number; lost: number; expected: number }>();
  /** The newest REMB already looked at, by its arrival time. */
  private rembSeenMs = 0;
  /** What audio and videos not in layers took of the link at the last sample (bits/s). */
  private reservedBps = 0;
  /** Since when the lowest layers have needed far more than the link (see SWITCH_OFF_NEED). */
  private shortSinceMs: number | undefined;

  constructor(private readonly context: DownlinkContext) {}

  tick(nowMs: number): void {
    this.watchRemb(nowMs);
    if (nowMs - this.lastMs < INTERVAL_MS) return;
    const seconds = Number.isFinite(this.lastMs) ? (nowMs - this.lastMs) / 1000 : 0;
    this.lastMs = nowMs;
    let bits = 0;
    let reservedBits = 0;
    let lost = 0;
    let expected = 0;
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
      if (!subscription.publication.layered) reservedBits += sent * 8;
    }
    this.estimate.update({ bits, lost, expected }, nowMs);
    if (seconds === 0) return;
    this.reservedBps = reservedBits / seconds;
    this.reallocate(nowMs);
    this.context.trace?.({
      sentKbps: Math.round(bits / seconds / 1000),
      lost,
      expected,
      estimateKbps: Math.round(this.estimate.bitrate / 1000),
      rembKbps: Math.round((this.newestRemb()?.bitrate ?? 0) / 1000),
      canGrow: this.estimate.canGrow(nowMs),
      layers: [...this.context.subscriptions()]
        .filter((s) => s.publication.layered)
        .map(
          (s) =>
            `${s.publisherSid.slice(-4)}:${s.layers.layer}/${s.layers.target} (${s.publication
              .layered!.layers.map((l) => (l.isActive(nowMs) ? Math.round(l.bitrate / 1000) : '-'))
              .join(' ')})`,
        ),
    });
  }

  /** What this subscriber may receive now: its estimate, under its maxSubscriptionBitrate. */
  private get budget(): number {
    const cap = this.context.maxBitrate();
    return cap ? Math.min(cap, this.estimate.bitrate) : this.estimate.bitrate;
  }

  /**
   * Gives every video its layer (or switches it off) for the estimate as it stands, and tells the
   * subscriber what it switched: once a second, and at once when the estimate was cut or the
   * subscriber changed what it wants.
   */
  reallocate(nowMs: number): void {
    const layered: Subscription[] = [];
    for (const subscription of this.context.subscriptions()) {
      if (subscription.publication.kind !== 'video') continue;
      if (subscription.publication.layered) layered.push(subscription);
      else this.switch(subscription, subscription.preferences.on ? null : 'disabled-by-subscriber');
    }
    if (layered.length === 0) return;
    const videos = layered.map((subscription) => ({
      layers: subscription.publication.layered!.layers,
      paused: subscription.publication.layered!.layers.map((layer) => layer.paused),
      target: subscription.layers.target,
      rank: this.context.rankOf(subscription),
      wanted: subscription.preferences.on,
      renderHeight: subscription.preferences.renderHeight,
      offForBandwidth: subscription.switchedOff === 'max-bandwidth-reached',
    }));
    const budget = this.budget - this.reservedBps;
    // Switching a video off waits until the link has been short for a while: not one bad second.
    if (lowestNeed(videos, nowMs) > budget * SWITCH_OFF_NEED) this.shortSinceMs ??= nowMs;
    else this.shortSinceMs = undefined;
    const sustained = this.shortSinceMs !== undefined && nowMs - this.shortSinceMs >= SHORT_FOR_MS;
    const allocation = allocate(videos, this.budget, this.reservedBps, this.estimate.canGrow(nowMs), nowMs, {
      budget,
      sustained,
    });
    for (const [i, subscription] of layered.entries()) {
      const { target, off } = allocation[i]!;
      if (target > subscription.layers.target) this.estimate.probing(nowMs);
      subscription.layers.target = target;
      this.switch(subscription, off);
    }
  }

  /** Switches a video off (for this reason) or on, and says so to the subscriber when that changed. */
  private switch(subscription: Subscription, off: SwitchOffReason | null): void {
    if (subscription.switchedOff === off) return;
    subscription.switchedOff = off;
    subscription.setPaused(off !== null);
    this.context.switched(subscription, off);
  }

  /** The newest REMB the subscriber sent, on any of its lines. */
  private newestRemb(): { bitrate: number; atMs: number } | undefined {
    let newest: { bitrate: number; atMs: number } | undefined;
    for (const subscription of this.context.subscriptions()) {
      const remb = subscription.remb;
      if (remb && (!newest || remb.atMs > newest.atMs)) newest = remb;
    }
    return newest;
  }

  /** A REMB that fell (a queue building) cuts the estimate, and the layers come down at once. */
  private watchRemb(nowMs: number): void {
    const newest = this.newestRemb();
    if (!newest || newest.atMs <= this.rembSeenMs) return;
    this.rembSeenMs = newest.atMs;
    if (this.estimate.noteRemb(newest.bitrate, nowMs)) this.reallocate(nowMs);
  }
}
