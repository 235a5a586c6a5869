/**
 * One simulcast layer of a published video as the SFU receives it: its own SSRC, sequence space,
 * loss repair and keyframe requests, its publisher's clock (sender reports), and how much it
 * carries, which is what the subscribers' allocators share their links by.
 */

import type { SenderClock } from '../quality/inbound-stream.js';
import { KeyframeRequests } from '../quality/keyframe-requests.js';
import { NackRequester } from '../quality/nack-requester.js';
import { ReceiveStatistics } from '../quality/receive-statistics.js';

/**
 * A layer that sent nothing for this long while another layer of the same video did is off: the
 * publisher stopped encoding it (Chrome drops top layers its uplink or CPU cannot carry). All of
 * them quiet is the picture standing still (a screen share sends nothing while nothing changes).
 */
const QUIET_MS = 600;
/** The bitrate is measured over windows of this length, and smoothed across them. */
const RATE_WINDOW_MS = 500;
const RATE_SMOOTHING = 0.3;

export class InboundLayer {
  /** Learned from the first packet that names this layer's rid (0 before). */
  ssrc = 0;
  readonly statistics = new ReceiveStatistics(0, 90_000);
  readonly nack = new NackRequester();
  senderClock: SenderClock | undefined;
  readonly keyframes: KeyframeRequests;
  /** Its picture size, from its last keyframe (0 before one). */
  width = 0;
  height = 0;
  /** What the layer carries (bits/s, payload and headers), smoothed; 0 before it is measured. */
  bitrate = 0;
  private windowBytes = 0;
  private windowStartMs = -1;
  private lastPacketMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly rid: string,
    /** 0 for the lowest layer. */
    readonly index: number,
    requestKeyframe: (layer: InboundLayer) => void,
    /** When any layer of the same video last had a packet (ms). */
    private readonly newestPacketMs: () => number,
  ) {
    this.keyframes = new KeyframeRequests(() => requestKeyframe(this));
  }

  /** Counts a packet of `bytes` toward the layer's bitrate. */
  counted(bytes: number, nowMs: number): void {
    this.lastPacketMs = nowMs;
    if (this.windowStartMs < 0) this.windowStartMs = nowMs;
    this.windowBytes += bytes;
    const elapsed = nowMs - this.windowStartMs;
    if (elapsed < RATE_WINDOW_MS) return;
    const rate = (this.windowBytes * 8 * 1000) / elapsed;
    this.bitrate = this.bitrate === 0 ? rate : this.bitrate + RATE_SMOOTHING * (rate - this.bitrate);
    this.windowBytes = 0;
    this.windowStartMs = nowMs;
  }

  /** When this layer last had a packet (ms; -Infinity before one). */
  get lastPacketAtMs(): number {
    return this.lastPacketMs;
  }

  /** Whether the publisher sends this layer now. */
  isActive(nowMs: number): boolean {
    return nowMs - this.lastPacketMs < QUIET_MS || this.newestPacketMs() - this.lastPacketMs < QUIET_MS;
  }

  close(): void {
    this.keyframes.close();
  }
}
