/**
 * What one subscriber's retransmissions may add to its link, all the videos it receives in
 * layers together: a share of what its link is estimated to carry. Resends take the same link as
 * the media, so on a link that is full (a layer taken up overshot it) every resend beyond its
 * headroom keeps the queue full and the loss going. Measured in the lab behind 700 kbit/s, when
 * each video's resends were allowed 30 % of its layer's bitrate (at least 64 kbit/s): three
 * videos' lowest layers plus their resends put 650–860 kbit/s on the link, and it lost packets for
 * four seconds after the layer that overshot had come down again.
 */

/** Resends may add this share of the subscriber's estimate. */
const SHARE = 0.1;
/** The bucket holds this long's budget: a burst of loss can be repaired at once. */
const BUCKET_SECONDS = 0.5;

export class ResendBudget {
  private tokens = 0;
  private lastRefillMs: number | undefined;

  /** `linkBps`: the subscriber's current estimate (bits/s). */
  constructor(private readonly linkBps: () => number) {}

  /** Whether `bytes` more may be resent now; if so they are taken from the budget. */
  take(bytes: number, nowMs: number): boolean {
    const rate = (this.linkBps() * SHARE) / 8;
    const elapsed = this.lastRefillMs === undefined ? BUCKET_SECONDS : (nowMs - this.lastRefillMs) / 1000;
    this.tokens = Math.min(rate * BUCKET_SECONDS, this.tokens + Math.max(0, elapsed) * rate);
    this.lastRefillMs = nowMs;
    if (this.tokens < bytes) return false;
    this.tokens -= bytes;
    return true;
  }
}
