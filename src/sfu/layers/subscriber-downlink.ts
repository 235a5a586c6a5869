/**
 * One subscriber's downlink: its estimate, fed once a second from what was sent to it and what
 * its browser reported of it, and the layer of each video it receives in layers (allocator).
 */
import type { SwitchOffReason } from '../../protocol/messages.js';
import type { Subscription } from '../subscription.js';
import { allocate } from './downlink-allocator.js';
import { DownlinkEstimate } from './downlink-estimate.js';

const INTERVAL_MS = 1000;
/** A REMB older than this no longer says anything about the link. */
const REMB_FRESH_MS = 3000;
/**
 * Chrome's REMB never goes far above what arrives (1.5 times, in libwebrtc), so it cannot say
 * that a link has room for a layer much bigger than the one sent. When it sits this far above
 * what is sent (it is not holding anything back), one video goes up a layer to find out: a probe.
 */
const REMB_AT_CEILING = 1.3;
/** A probe that brought no fall in REMB and no loss for this long (after its switch) succeeded. */
const PROBE_MS = 2500;
/** A probe whose layer never came (no keyframe) is given up after this long. */
const PROBE_GIVE_UP_MS = 4000;

interface Probe {
  subscription: Subscription;
  /** The target it had before. */
  from: number;
  startedMs: number;
  /** When the higher layer started reaching the subscriber. */
  switchedMs: number | undefined;
}

export interface DownlinkContext {
  subscriptions(): Iterable<Subscription>;
  /** Lower goes first when the link is shared out (see downlink-allocator.ts). */
  rankOf(subscription: Subscription): number;
  /** The subscriber's maxSubscriptionBitrate (bits/s), if it set one. */
  maxBitrate(): number | undefined;
  /** A video was switched off (why) or on (null): the subscriber is told. */
  switched(subscription: Subscription, off: SwitchOffReason | null): void;
}

export class SubscriberDownlink {
  readonly estimate = new DownlinkEstimate();
  private lastMs = Number.NEGATIVE_INFINITY;
  /** Each subscription's sent octets and loss totals at the last sample. */
  private readonly seen = new WeakMap<Subscription, { octets: number; lost: number; expected: number }>();
  private probe: Probe | undefined;
  /** The newest REMB already looked at, by its arrival time. */
  private rembSeenMs = 0;
  private sentBps = 0;
  /** What audio and videos not in layers took of the link at the last sample (bits/s). */
  private reservedBps = 0;
  /** Probes made and failed, for measurements. */
  probes = { made: 0, failed: 0 };

  constructor(private readonly context: DownlinkContext) {}

  tick(nowMs: number): void {
    this.watchRemb(nowMs);
    if (this.probe) this.checkProbe(nowMs);
    if (nowMs - this.lastMs < INTERVAL_MS) return;
    const seconds = Number.isFinite(this.lastMs) ? (nowMs - this.lastMs) / 1000 : 0;
    this.lastMs = nowMs;
    let bits = 0;
    let reservedBits = 0;
    let lost = 0;
    let expected = 0;
    let remb: number | undefined;
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
      if (subscription.remb && nowMs - subscription.remb.atMs < REMB_FRESH_MS) {
        remb = Math.max(remb ?? 0, subscription.remb.bitrate);
      }
    }
    this.estimate.update({ bits, lost, expected, remb }, nowMs);
    // Loss while a probe runs: the probe is what caused it.
    if (this.probe && !this.estimate.canGrow(nowMs)) this.endProbe(false, nowMs);
    if (seconds === 0) return;
    this.sentBps = bits / seconds;
    this.reservedBps = reservedBits / seconds;
    const layered = this.reallocate(nowMs);
    if (!this.probe && remb !== undefined && remb >= this.sentBps * REMB_AT_CEILING && this.estimate.canGrow(nowMs)) {
      this.startProbe(layered, nowMs);
    }
  }

  /** What this subscriber may receive now: its estimate, under its maxSubscriptionBitrate. */
  private get budget(): number {
    const cap = this.context.maxBitrate();
    return cap ? Math.min(cap, this.estimate.bitrate) : this.estimate.bitrate;
  }

  /**
   * Gives every video its layer (or switches it off) for the estimate as it stands, and tells the
   * subscriber what it switched: once a second, and at once when it changed what it wants.
   * Returns the videos received in layers.
   */
  reallocate(nowMs: number): Subscription[] {
    const layered: Subscription[] = [];
    for (const subscription of this.context.subscriptions()) {
      if (subscription.publication.kind !== 'video') continue;
      if (subscription.publication.layered) layered.push(subscription);
      else this.switch(subscription, subscription.preferences.on ? null : 'disabled-by-subscriber');
    }
    if (layered.length === 0) return layered;
    const videos = layered.map((subscription) => ({
      layers: subscription.publication.layered!.layers,
      target: subscription.layers.target,
      rank: this.context.rankOf(subscription),
      wanted: subscription.preferences.on,
      renderHeight: subscription.preferences.renderHeight,
    }));
    const allocation = allocate(videos, this.budget, this.reservedBps, this.estimate.canGrow(nowMs), nowMs);
    for (const [i, subscription] of layered.entries()) {
      const { target, off } = allocation[i]!;
      if (subscription === this.probe?.subscription) {
        if (off === null) continue;
        this.probe = undefined; // it went off: the probe is over, without a verdict
      }
      subscription.layers.target = target;
      this.switch(subscription, off);
    }
    return layered;
  }

  /** Switches a video off (for this reason) or on, and says so to the subscriber when that changed. */
  private switch(subscription: Subscription, off: SwitchOffReason | null): void {
    if (subscription.switchedOff === off) return;
    subscription.switchedOff = off;
    subscription.setPaused(off !== null);
    this.context.switched(subscription, off);
  }

  /** A REMB that fell since the last one ends a probe at once: the probe made a queue. */
  private watchRemb(nowMs: number): void {
    let newest: { bitrate: number; atMs: number } | undefined;
    for (const subscription of this.context.subscriptions()) {
      const remb = subscription.remb;
      if (remb && remb.atMs > this.rembSeenMs && (!newest || remb.atMs > newest.atMs)) newest = remb;
    }
    if (!newest) return;
    this.rembSeenMs = newest.atMs;
    if (this.estimate.noteRemb(newest.bitrate) && this.probe) this.endProbe(false, nowMs);
  }

  /** Takes the first video by rank that has a layer above its target up one. */
  private startProbe(layered: Subscription[], nowMs: number): void {
    const candidates = [...layered].sort((a, b) => this.context.rankOf(a) - this.context.rankOf(b));
    for (const subscription of candidates) {
      const switcher = subscription.layers;
      const above = subscription.publication.layered!.layers.find(
        (layer) => layer.index > switcher.target && layer.isActive(nowMs),
      );
      if (!above || switcher.layer !== switcher.target) continue;
      this.probe = { subscription, from: switcher.target, startedMs: nowMs, switchedMs: undefined };
      this.probes.made++;
      switcher.target = above.index;
      return;
    }
  }

  private checkProbe(nowMs: number): void {
    const probe = this.probe!;
    const switcher = probe.subscription.layers;
    if (probe.switchedMs === undefined) {
      if (switcher.layer === switcher.target) probe.switchedMs = nowMs;
      else if (nowMs - probe.startedMs > PROBE_GIVE_UP_MS) this.endProbe(false, nowMs);
      return;
    }
    if (nowMs - probe.switchedMs >= PROBE_MS) this.endProbe(true, nowMs);
  }

  private endProbe(succeeded: boolean, nowMs: number): void {
    const probe = this.probe!;
    this.probe = undefined;
    if (succeeded) return;
    this.probes.failed++;
    probe.subscription.layers.target = probe.from;
    this.estimate.probeFailed(nowMs);
  }
}
