/**
 * twilio-video's RemoteDataTrack: another participant's data track, as this page receives it on
 * the data channel the server opened for it (labelled with the track's SID, with the publisher's
 * reliability). Each message is a `message` event: text as a string, binary as an ArrayBuffer.
 */
import type { TrackPriority } from '../protocol/messages.js';
import { TypedEmitter } from './typed-emitter.js';

export interface RemoteDataTrackEvents {
  message: (data: string | ArrayBuffer, track: RemoteDataTrack) => void;
}

export class RemoteDataTrack extends TypedEmitter<RemoteDataTrackEvents> {
  readonly kind = 'data' as const;
  /** Data tracks are never muted nor switched off. */
  readonly isEnabled = true;
  readonly isSwitchedOff = false;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  /** The subscriber's priority for it (bandwidth is not shared out for data: kept as set). */
  priority: TrackPriority | null = null;
  private subscribed = true;

  constructor(
    readonly sid: string,
    readonly name: string,
    private channel: RTCDataChannel,
  ) {
    super();
    this.ordered = channel.ordered;
    this.maxPacketLifeTime = channel.maxPacketLifeTime;
    this.maxRetransmits = channel.maxRetransmits;
    this.listen(channel);
  }

  private listen(channel: RTCDataChannel): void {
    channel.binaryType = 'arraybuffer';
    channel.addEventListener('message', (event) => {
      if (channel === this.channel) this.emit('message', event.data as string | ArrayBuffer, this);
    });
  }

  /** @internal the same track on a new channel (after a reconnection): messages come on it now. */
  _resume(channel: RTCDataChannel): void {
    if (channel === this.channel) return;
    this.channel.close();
    this.channel = channel;
    this.listen(channel);
  }

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  get reliable(): boolean {
    return this.ordered && this.maxPacketLifeTime === null && this.maxRetransmits === null;
  }

  setPriority(priority: TrackPriority | null): this {
    this.priority = priority;
    return this;
  }

  /** @internal data tracks are always enabled. */
  _setEnabled(_enabled: boolean): void {}

  /** @internal unsubscribed: no more messages. */
  _releaseMedia(): void {
    this.subscribed = false;
    this.channel.close();
  }
}
