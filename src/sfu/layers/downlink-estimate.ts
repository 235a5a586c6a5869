/**
 * What one subscriber's link carries, estimated from its browser's own feedback on what the SFU
 * sends it: the loss its receiver reports count (minus what was lost before the SFU), and its
 * receive-side estimate (REMB) when it sends one. Loss-based, as libwebrtc's classic controller:
 * little loss lets the estimate grow 8 % a second; real loss cuts it to what got through. Growth
 * without loss is a guess, so a cut starts a hold-off during which the allocator takes no layer
 * up, doubling at each cut in a row: one probe of a link too thin costs a second of loss, and
 * then ever more rarely.
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

export const DOWNLINK_START_BPS = 1_200_000;
const MIN_BPS = 100_000;
const MAX_BPS = 20_000_000;
const GROWTH_PER_SECOND = 1.08;
const LOW_LOSS = 0.02;
const HIGH_LOSS = 0.05;
/** A cut sets the estimate a little under what got through, so the queue it built drains. */
const CUT_MARGIN = 0.92;
const HOLD_OFF_MS = { first: 4000, max: 60_000, forgetAfter: 60_000 };

export class DownlinkEstimate {
  bitrate = DOWNLINK_START_BPS;
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

  update(sample: DownlinkSample, nowMs: number): void {
    const last = this.lastSampleMs;
    this.lastSampleMs = nowMs;
    if (last === undefined) return;
    const seconds = (nowMs - last) / 1000;
    if (seconds <= 0) return;
    const sentBps = sample.bits / seconds;
    const loss = sample.expected > 20 ? sample.lost / sample.expected : 0;
    if (loss > HIGH_LOSS) {
      const delivered = sentBps * (1 - loss) * CUT_MARGIN;
      this.bitrate = Math.max(MIN_BPS, Math.min(this.bitrate, delivered));
      this.cut(nowMs);
    } else if (loss < LOW_LOSS) {
      this.bitrate = Math.min(MAX_BPS, this.bitrate * GROWTH_PER_SECOND ** seconds);
    }
    if (sample.remb !== undefined && sample.remb < this.bitrate) this.bitrate = Math.max(MIN_BPS, sample.remb);
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
