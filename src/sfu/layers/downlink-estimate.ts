/**
 * What one subscriber's link carries, estimated from its browser's own feedback on what the SFU
 * sends it. Chrome's receive-side estimate (REMB, which it sends on the SFU's lines) is the base:
 * it is delay-based, so it sees a queue building before packets are lost, and it goes up only
 * as far as a little over what arrives, so that the SFU takes layers up a step at a time. Loss
 * counted from its receiver reports (minus what was lost before the SFU) caps it: real loss cuts
 * the estimate to what got through, and starts a hold-off during which the allocator takes no
 * layer up, doubling at each cut in a row, so a probe of a link too thin costs a second of loss
 * and then ever more rarely. Until a REMB comes, a guess that grows while nothing is lost.
 */

export interface DownlinkSample {
  /** Bits sent to the subscriber since the last sample. */
  bits: number;
  /** Packets lost on the way and expected, by its receiver reports, since the last sample. */
  lost: number;
  expected: number;
  /** Its newest REMB (bits/s), if one came recently. */
  remb: number | undefined;
}

/** Before any feedback: enough for a few lowest layers, not for a top one. */
export const DOWNLINK_START_BPS = 600_000;
const MIN_BPS = 100_000;
const MAX_BPS = 20_000_000;
const GROWTH_PER_SECOND = 1.08;
const LOW_LOSS = 0.02;
const HIGH_LOSS = 0.05;
/** A cut sets the estimate a little under what got through, so the queue it built drains. */
const CUT_MARGIN = 0.92;
const HOLD_OFF_MS = { first: 4000, max: 60_000, forgetAfter: 60_000 };

/** Chrome's REMB this much below the last one: it saw a queue build (overuse). */
const REMB_FALL = 0.85;
/** What was carried cleanly counts for a little more: the layers' costs wobble around it. */
const PROVEN_MARGIN = 1.1;

export class DownlinkEstimate {
  bitrate = DOWNLINK_START_BPS;
  /** What loss allows, once loss was seen; grows back while nothing is lost. */
  private lossCap = Number.POSITIVE_INFINITY;
  private guess = DOWNLINK_START_BPS;
  /**
   * The rate last carried with no loss and no fall in REMB. Chrome's REMB climbs only slowly to
   * what a link carries, and never far above what arrives, so after a layer went up the rate
   * that was carried is the better measure, until the link says otherwise.
   */
  private proven = 0;
  private lastRemb: number | undefined;
  private holdUntilMs = 0;
  private holdOffMs = HOLD_OFF_MS.first;
  private lastCutMs = Number.NEGATIVE_INFINITY;
  private lastSampleMs: number | undefined;
  /** Cuts made, for measurements. */
  cuts = 0;

  /** Whether the allocator may take a layer up now. */
  canGrow(nowMs: number): boolean {
    return nowMs >= this.holdUntilMs;
  }

  /** A REMB arrived; true when it fell (the subscriber's browser saw its queue grow). */
  noteRemb(remb: number): boolean {
    const fell = this.lastRemb !== undefined && remb < this.lastRemb * REMB_FALL;
    this.lastRemb = remb;
    if (fell) this.proven = 0;
    return fell;
  }

  update(sample: DownlinkSample, nowMs: number): void {
    const last = this.lastSampleMs;
    this.lastSampleMs = nowMs;
    if (last === undefined) return;
    const seconds = (nowMs - last) / 1000;
    if (seconds <= 0) return;
    const sentBps = sample.bits / seconds;
    // Receiver reports come about once a second per line: too few packets say nothing yet.
    const loss = sample.expected > 20 ? sample.lost / sample.expected : undefined;
    const growth = GROWTH_PER_SECOND ** seconds;
    if (loss !== undefined && loss > HIGH_LOSS) {
      this.lossCap = Math.max(MIN_BPS, Math.min(this.lossCap, this.bitrate, sentBps * (1 - loss) * CUT_MARGIN));
      this.proven = 0;
      this.cut(nowMs);
    } else if (loss !== undefined && loss < LOW_LOSS) {
      this.lossCap *= growth;
      this.guess = Math.min(MAX_BPS, this.guess * growth);
      this.proven = Math.max(this.proven, sentBps * PROVEN_MARGIN);
    }
    const base = Math.max(sample.remb ?? this.guess, this.proven);
    // A cap far above what the link is used for says nothing any more.
    if (this.lossCap > 2 * Math.max(base, sentBps)) this.lossCap = Number.POSITIVE_INFINITY;
    this.bitrate = Math.max(MIN_BPS, Math.min(MAX_BPS, base, this.lossCap));
  }

  /** A layer taken up to probe the link made it worse: back off before the next try. */
  probeFailed(nowMs: number): void {
    this.proven = 0;
    this.cut(nowMs);
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
