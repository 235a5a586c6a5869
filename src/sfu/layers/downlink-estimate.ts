/**
 * What one subscriber's link carries, estimated from its browser's own feedback on what the SFU
 * sends it. Loss-based at heart, as libwebrtc's classic controller: while nothing is lost the
 * estimate grows 8 % a second, and the allocator takes a layer up once it fits, which is how a
 * link is probed; real loss (counted from the subscriber's receiver reports, less what was lost
 * before the SFU) cuts it to what got through, or soon after a step up to what was sent before
 * the step. Chrome's receive-side estimate (REMB, which it
 * sends on the SFU's lines) is used for what it is good at: it is delay-based, so it falls as
 * soon as a queue builds, before packets are lost, and such a fall cuts the estimate too. It is
 * not a measure of room to spare (it climbs slowly, and not far above what arrives). Each cut
 * starts a hold-off during which nothing goes up, 30 s doubling at each cut in a row up to 2 min: a
 * probe of a link too thin costs a second of congestion, and then ever more rarely.
 */

export interface DownlinkSample {
  /** Bits sent to the subscriber since the last sample. */
  bits: number;
  /** Packets lost on the way and expected, by its receiver reports, since the last sample. */
  lost: number;
  expected: number;
}

/** Before any feedback: a few lowest layers and one bigger. */
export const DOWNLINK_START_BPS = 1_000_000;
const MIN_BPS = 100_000;
const MAX_BPS = 20_000_000;
const GROWTH_PER_SECOND = 1.08;
const LOW_LOSS = 0.02;
/** Fewer packets than this in a sample say nothing of loss (a 320×240 layer sends ~25 a second). */
const MIN_EXPECTED = 40;
const HIGH_LOSS = 0.05;
/** A cut sets the estimate a little under what got through, so the queue it built drains. */
const CUT_MARGIN = 0.92;
/** Chrome's REMB this much below the last one, and about what is sent or less: a queue built. */
const REMB_FALL = 0.85;
const REMB_ROOM = 1.1;
const HOLD_OFF_MS = { first: 30_000, max: 120_000, forgetAfter: 120_000 };
/**
 * A REMB that went down at all (Chrome's delay-based estimator backed off) in this long says the
 * link is near full: the estimate then stays at it or under, so that no layer goes
 * up into a link that has just said it cannot take more. On a link with room Chrome's REMB only
 * climbs, and nothing holds the estimate.
 */
const REMB_RECENT_MS = 30_000;
const REMB_DOWN = 0.97;
const REMB_NEAR_FULL = 1.0;
const REMB_HOLD_MS = 4000;
/**
 * Below this much sent, Chrome's REMB wanders under what arrives whatever the link (measured: a
 * viewer of one 170 kbit/s layer on loopback got REMBs of 120–290 kbit/s): it is not listened to.
 */
const REMB_MEANINGFUL_BPS = 400_000;
/**
 * Loss this soon after a layer went up says the step overshot: the estimate goes back to what was
 * sent before it, which the link carried, rather than to what got through (measured in the lab:
 * behind 700 kbit/s a 640×480 layer taken up was cut to 1.1 Mbit/s, still too much, and came
 * down only at the next second's report; the link lost packets a second longer).
 */
const PROBE_MS = 4000;

export class DownlinkEstimate {
  bitrate = DOWNLINK_START_BPS;
  private lastRemb: number | undefined;
  private lastRembDownMs = Number.NEGATIVE_INFINITY;
  private holdUntilMs = 0;
  private holdOffMs = HOLD_OFF_MS.first;
  private lastCutMs = Number.NEGATIVE_INFINITY;
  private lastSampleMs: number | undefined;
  /** What was sent over the last sample (bits/s). */
  private sentBps = 0;
  /** Cuts made, for measurements. */
  cuts = 0;
  /** The last layer taken up: when, and what was sent before it (bits/s). */
  private probe: { atMs: number; baseBps: number } | undefined;

  /** Whether the allocator may take a layer up now. */
  canGrow(nowMs: number): boolean {
    return nowMs >= this.holdUntilMs;
  }

  /**
   * A layer went up: what was sent until now fits the link, and the step is a probe of it. Steps
   * in a row (one video at a time) keep the first one's base.
   */
  probing(nowMs: number): void {
    if (this.sentBps <= 0) return; // nothing measured yet to go back to
    this.probe = { atMs: nowMs, baseBps: this.probeBase(nowMs) ?? this.sentBps };
  }

  /** What was sent before the last step up, if that step was taken less than PROBE_MS ago. */
  private probeBase(nowMs: number): number | undefined {
    return this.probe && nowMs - this.probe.atMs < PROBE_MS ? this.probe.baseBps : undefined;
  }

  /** A REMB arrived; true when it fell as a queue builds (and the estimate was cut). */
  noteRemb(remb: number, nowMs: number): boolean {
    if (this.sentBps < REMB_MEANINGFUL_BPS || remb < REMB_MEANINGFUL_BPS) {
      this.lastRemb = undefined;
      return false;
    }
    const fell = this.lastRemb !== undefined && remb < this.lastRemb * REMB_FALL && remb < this.sentBps * REMB_ROOM;
    if (this.lastRemb !== undefined && remb < this.lastRemb * REMB_DOWN) this.lastRembDownMs = nowMs;
    this.lastRemb = remb;
    if (!fell) return false;
    // Not below most of what is sent: at low rates Chrome's REMB wanders under what arrives.
    this.bitrate = Math.max(MIN_BPS, Math.min(this.bitrate, Math.max(remb, this.sentBps * REMB_FALL)));
    // A short hold, not the doubling one: nothing was lost, and REMB also falls for a moment's jitter.
    this.holdUntilMs = Math.max(this.holdUntilMs, nowMs + REMB_HOLD_MS);
    return true;
  }

  update(sample: DownlinkSample, nowMs: number): void {
    const last = this.lastSampleMs;
    this.lastSampleMs = nowMs;
    if (last === undefined) return;
    const seconds = (nowMs - last) / 1000;
    if (seconds <= 0) return;
    this.sentBps = sample.bits / seconds;
    // Receiver reports come about once a second per line: too few packets say nothing yet.
    const loss = sample.expected >= MIN_EXPECTED ? sample.lost / sample.expected : undefined;
    if (loss !== undefined && loss > HIGH_LOSS) {
      const overshot = this.probeBase(nowMs) ?? Infinity;
      this.probe = undefined;
      const delivered = Math.min(overshot, this.sentBps * (1 - loss) * CUT_MARGIN);
      if (nowMs >= this.holdUntilMs) {
        this.bitrate = Math.max(MIN_BPS, Math.min(this.bitrate, delivered));
        this.cut(nowMs);
      } else if (this.sentBps > this.bitrate) {
        // Still sending more than the last cut allowed: cut again (the layers have not come down yet).
        this.bitrate = Math.max(MIN_BPS, Math.min(this.bitrate, delivered));
      }
      // Otherwise it is loss reported late (receiver reports lag a second or more) for the
      // congestion already cut for: cutting again would go below what the link carries.
    } else if (loss !== undefined && loss < LOW_LOSS && nowMs >= this.holdUntilMs) {
      this.bitrate = Math.min(MAX_BPS, this.bitrate * GROWTH_PER_SECOND ** seconds);
      const remb = this.sentBps >= REMB_MEANINGFUL_BPS ? this.lastRemb : undefined;
      if (remb !== undefined && nowMs - this.lastRembDownMs < REMB_RECENT_MS) {
        this.bitrate = Math.max(Math.min(this.bitrate, remb * REMB_NEAR_FULL), MIN_BPS);
      }
    }
  }

  private cut(nowMs: number): void {
    this.cuts++;
    // Loss that goes on while the last cut's queue drains is the same congestion, not a new probe.
    if (nowMs < this.holdUntilMs) {
      this.holdUntilMs = nowMs + this.holdOffMs;
      return;
    }
    this.holdOffMs =
      nowMs - this.lastCutMs < this.holdOffMs + HOLD_OFF_MS.forgetAfter
        ? Math.min(HOLD_OFF_MS.max, this.holdOffMs * 2)
        : HOLD_OFF_MS.first;
    this.lastCutMs = nowMs;
    this.holdUntilMs = nowMs + this.holdOffMs;
  }
}
