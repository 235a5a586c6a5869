import type { TrackInfo, TrackKind } from '../protocol/messages.js';
import type { ReceiveTrack, SendTrack } from './media-engine.js';

/** At most one keyframe request per publisher per this many ms; more would only waste bitrate. */
export const KEYFRAME_REQUEST_INTERVAL_MS = 300;

/**
 * One published track: the receive line on its publisher's connection and the send lines on
 * every subscriber's connection that it is forwarded to.
 */
export class Publication {
  readonly name: string;
  private readonly subscribers = new Set<SendTrack>();
  private lastKeyframeRequest = 0;
  private keyframeTimer: NodeJS.Timeout | undefined;
  /** Packets and bytes sent to subscribers, for metrics; read and reset by the SFU. */
  forwardedPackets = 0;
  forwardedBytes = 0;

  constructor(readonly sid: string, readonly kind: TrackKind, private readonly track: ReceiveTrack) {
    this.name = kind;
    track.onRtp((packet) => {
      for (const subscriber of this.subscribers) {
        if (!subscriber.send(packet)) continue;
        this.forwardedPackets++;
        this.forwardedBytes += packet.length;
      }
    });
  }

  info(): TrackInfo {
    return { sid: this.sid, kind: this.kind, name: this.name };
  }

  attach(subscriber: SendTrack): void {
    this.subscribers.add(subscriber);
    if (this.kind !== 'video') return;
    // A new subscriber can decode nothing until the next keyframe: ask for one as soon as it can receive.
    subscriber.onOpen(() => this.requestKeyframe());
    subscriber.onKeyframeRequest(() => this.requestKeyframe());
  }

  detach(subscriber: SendTrack): void {
    subscriber.stop();
    this.subscribers.delete(subscriber);
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
  }
}
