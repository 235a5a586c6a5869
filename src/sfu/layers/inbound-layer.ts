/**
 * One simulcast layer of a published video as the SFU receives it: its own SSRC, sequence space,
 * loss repair and keyframe requests, its publisher's clock (sender reports), and how much it
 * carries, which is what the subscribers' allocators share their links by.
 */

import type { SenderClock } from '../quality/inbound-stream.js';
import { KeyframeRequests } from '../quality/keyframe-requests.js';
import { NackRequester } from '../quality/nack-requester.js';
import { ReceiveStatistics } from '../quality/receive-statistics.js';
import { PacketHistory } from './packet-history.js';

/**
 * A layer that sent nothing for this long (or for QUIET_FRAMES of its usual frame intervals, when
 * that is longer) while another layer of the same video did is off: the publisher stopped
 * encoding it (Chrome drops top layers its uplink or CPU cannot carry). All of them quiet is the
 * picture standing still (a screen share sends nothing while nothing changes). Its viewers freeze
 * from its last frame until the switch down, plus a keyframe of the lower layer: 600 ms here
 * froze a viewer ~0.66 s per drop in the lab's 500 kbit/s uplink on busy cores, 300 ms ~0.35 s.
 */
const QUIET_MS = 300;
const QUIET_FRAMES = 3;
/**
 * And the other layers started this many frames since its last packet. Time alone misleads after
 * the worker stalls: every layer's packets then arrive late at once, and the first one read, of
 * any layer, is no news that the others stopped (they are next in the queue).
 */
const QUIET_OTHERS_FRAMES = 4;
/** A longer gap between two frames counts as this long in the usual interval (a stall is not a pace). */
const FRAME_GAP_CAP_MS = 1000;
const FRAME_SMOOTHING = 0.1;
/** The bitrate is measured over windows of this length, and smoothed across them. */
const RATE_WINDOW_MS = 500;
const RATE_SMOOTHING = 0.3;
/** A layer whose bitrate grew by less than STEADY_GROWTH over this many windows is steady. */
const STEADY_WINDOWS = 6;
const STEADY_GROWTH = 1.15;

/** What the layers of one video share, kept by its LayeredSource: each reads the others' progress. */
export interface VideoPace {
  /** When any layer last had a packet (ms). */
  newestPacketMs: number;
  /** Frames started on any layer so far. */
  framesStarted: number;
}

export class InboundLayer {
  /** Learned from the first packet that names this layer's rid (0 before). */
  ssrc = 0;
  readonly statistics = new ReceiveStatistics(0, 90_000);
  readonly nack = new NackRequester();
  senderClock: SenderClock | undefined;
  readonly keyframes: KeyframeRequests;
  /** Its last packets, for resending to subscribers (about 3 s of a 640×480 layer). */
  readonly history = new PacketHistory(256);
  /** Its picture size, from its last keyframe (0 before one). */
  width = 0;
  height = 0;
  /** The publisher was told not to encode it: nobody wanted it (see dynacast.ts). */
  paused = false;
  /** What the layer carries (bits/s, payload and headers), smoothed; 0 before it is measured. */
  bitrate = 0;
  private windowBytes = 0;
  /** The smoothed bitrate at the end of each of the last windows, oldest first. */
  private readonly rates: number[] = [];
  private windowStartMs = -1;
  private lastPacketMs = Number.NEGATIVE_INFINITY;
  /** The video's framesStarted at its last packet. */
  private framesAtLastPacket = 0;
  /** The usual time between its frames (ms, smoothed; 0 before two frames). */
  private frameIntervalMs = 0;
  private lastFrameTimestamp = -1;
  private lastFrameMs = 0;

  constructor(
    readonly rid: string,
    /** 0 for the lowest layer. */
    readonly index: number,
    requestKeyframe: (layer: InboundLayer) => void,
    private readonly video: VideoPace,
  ) {
    this.keyframes = new KeyframeRequests(() => requestKeyframe(this));
  }

  /** Counts a packet of `bytes` toward the layer's bitrate. */
  counted(bytes: number, nowMs: number): void {
    this.lastPacketMs = nowMs;
    this.framesAtLastPacket = this.video.framesStarted;
    if (this.windowStartMs < 0) this.windowStartMs = nowMs;
    this.windowBytes += bytes;
    const elapsed = nowMs - this.windowStartMs;
    if (elapsed < RATE_WINDOW_MS) return;
    const rate = (this.windowBytes * 8 * 1000) / elapsed;
    this.bitrate = this.bitrate === 0 ? rate : this.bitrate + RATE_SMOOTHING * (rate - this.bitrate);
    this.rates.push(this.bitrate);
    if (this.rates.length > STEADY_WINDOWS) this.rates.shift();
    this.windowBytes = 0;
    this.windowStartMs = nowMs;
  }

  /** A packet's RTP timestamp: a newer one starts a frame, which paces the layer. True when it did. */
  framed(timestamp: number, nowMs: number): boolean {
    const ahead = this.lastFrameTimestamp < 0 ? 1 : (timestamp - this.lastFrameTimestamp) >>> 0;
    // The same frame, or an older one (a resend).
    if (ahead === 0 || ahead >= 0x80000000) return false;
    if (this.lastFrameTimestamp >= 0) {
      const gap = Math.min(nowMs - this.lastFrameMs, FRAME_GAP_CAP_MS);
      this.frameIntervalMs =
        this.frameIntervalMs === 0 ? gap : this.frameIntervalMs + FRAME_SMOOTHING * (gap - this.frameIntervalMs);
    }
    this.lastFrameTimestamp = timestamp;
    this.lastFrameMs = nowMs;
    return true;
  }

  /**
   * Its bitrate has settled: not still climbing, as a publisher's top layer does for the first
   * seconds while its uplink estimate grows. What it costs is only known then.
   */
  get steady(): boolean {
    return this.rates.length >= STEADY_WINDOWS && this.bitrate <= this.rates[0]! * STEADY_GROWTH;
  }

  /** When this layer last had a packet (ms; -Infinity before one). */
  get lastPacketAtMs(): number {
    return this.lastPacketMs;
  }

  /** Whether the publisher sends this layer now. */
  isActive(nowMs: number): boolean {
    const quietMs = Math.max(QUIET_MS, QUIET_FRAMES * this.frameIntervalMs);
    return (
      nowMs - this.lastPacketMs < quietMs ||
      this.video.newestPacketMs - this.lastPacketMs < quietMs ||
      this.video.framesStarted - this.framesAtLastPacket < QUIET_OTHERS_FRAMES
    );
  }

  close(): void {
    this.keyframes.close();
  }
}
