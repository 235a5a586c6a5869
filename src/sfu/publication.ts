import type { TrackInfo, TrackKind, TrackName } from '../protocol/messages.js';
import { audioLoudness } from './audio-level.js';
import type { ReceiveTrack, SendTrack } from './media-engine.js';
import { LevelMeter } from './speaker-detector.js';
import { isVp8KeyframeStart } from './vp8.js';

export interface ForwardingCounters {
  packets: number;
  bytes: number;
}

/** At most one keyframe request per publisher per this many ms; more would only waste bitrate. */
export const KEYFRAME_REQUEST_INTERVAL_MS = 300;

/**
 * One published track: the receive line on its publisher's connection and the send lines on
 * every subscriber's connection that it is forwarded to.
 */
export class Publication {
  /** False while its publisher has muted it: nothing is forwarded then. */
  private isEnabled = true;
  /** Audio only: the publisher's loudness, for the dominant speaker. */
  readonly levels = new LevelMeter();
  private readonly subscribers = new Set<SendTrack>();
  /**
   * Video subscribers that have not yet received a keyframe: they get nothing until one comes,
   * and the publisher is asked again (throttled) until it does. A single request when the line
   * opens is not enough: it is lost if the publisher's own connection is not up yet.
   */
  private readonly awaitingKeyframe = new Set<SendTrack>();
  private lastKeyframeRequest = 0;
  private keyframeTimer: NodeJS.Timeout | undefined;
  constructor(
    readonly sid: string,
    readonly kind: TrackKind,
    readonly name: TrackName,
    /** The media line on the publisher's connection that receives it. */
    readonly mid: string,
    private readonly track: ReceiveTrack,
    /** Server-wide packets and bytes sent to subscribers, for metrics (outlive this publication). */
    private readonly counters: ForwardingCounters,
  ) {
    track.onRtp((packet) => this.forward(packet));
  }

  get enabled(): boolean {
    return this.isEnabled;
  }

  set enabled(enabled: boolean) {
    if (enabled && !this.isEnabled && this.kind === 'video') {
      // Unmuted video restarts mid-stream: every subscriber needs a keyframe again.
      for (const subscriber of this.subscribers) this.awaitingKeyframe.add(subscriber);
      this.requestKeyframe();
    }
    this.isEnabled = enabled;
  }

  private forward(packet: Buffer): void {
    if (!this.isEnabled) return;
    if (this.kind === 'audio') this.levels.add(audioLoudness(packet));
    const keyframe = this.awaitingKeyframe.size > 0 && isVp8KeyframeStart(packet);
    for (const subscriber of this.subscribers) {
      const waiting = this.awaitingKeyframe.size > 0 && this.awaitingKeyframe.has(subscriber);
      if (waiting && !keyframe) continue;
      if (!subscriber.send(packet)) continue;
      if (waiting) this.awaitingKeyframe.delete(subscriber);
      this.counters.packets++;
      this.counters.bytes += packet.length;
    }
    if (this.awaitingKeyframe.size > 0) this.requestKeyframe();
  }

  info(): TrackInfo {
    return { sid: this.sid, kind: this.kind, name: this.name, enabled: this.enabled };
  }

  attach(subscriber: SendTrack): void {
    this.subscribers.add(subscriber);
    if (this.kind !== 'video') return;
    this.awaitingKeyframe.add(subscriber);
    // A new subscriber can decode nothing until the next keyframe: ask for one as soon as it can receive.
    subscriber.onOpen(() => this.requestKeyframe());
    subscriber.onKeyframeRequest(() => this.requestKeyframe());
  }

  detach(subscriber: SendTrack): void {
    subscriber.stop();
    this.subscribers.delete(subscriber);
    this.awaitingKeyframe.delete(subscriber);
  }

  /** Throttled; a request inside the interval is sent when the interval ends, never dropped. */
  requestKeyframe(): void {
    if (this.kind !== 'video' || this.keyframeTimer) return;
    const wait = this.lastKeyframeRequest + KEYFRAME_REQUEST_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.lastKeyframeRequest = Date.now();
      this.track.requestKeyframe();
      return;
    }
    this.keyframeTimer = setTimeout(() => {
      this.keyframeTimer = undefined;
      this.requestKeyframe();
    }, wait);
  }

  close(): void {
    clearTimeout(this.keyframeTimer);
    this.keyframeTimer = undefined;
    for (const subscriber of this.subscribers) subscriber.stop();
    this.subscribers.clear();
    this.awaitingKeyframe.clear();
  }
}
