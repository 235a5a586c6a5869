/**
 * twilio-video's LocalDataTrack: messages (text or binary) to everyone in the room, over a data
 * channel of its own to the server, which forwards each to the others' channels for it. Messages
 * sent while the channel is still opening wait, in order, and go once it is open.
 */
import type { DataReliability } from '../protocol/messages.js';
import { TypedEmitter } from './typed-emitter.js';

export interface LocalDataTrackOptions {
  name?: string;
  ordered?: boolean;
  maxPacketLifeTime?: number | null;
  maxRetransmits?: number | null;
  logLevel?: unknown;
}

type DataMessage = string | Blob | ArrayBuffer | ArrayBufferView;

/** A data channel accepts these as they are; a view goes as the bytes it shows. */
function sendOn(channel: RTCDataChannel, data: DataMessage): void {
  if (typeof data === 'string') channel.send(data);
  else if (data instanceof Blob) channel.send(data);
  else if (data instanceof ArrayBuffer) channel.send(data);
  else channel.send(new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength));
}

/** A local data track raises no events of its own (twilio-video's neither). */
export class LocalDataTrack extends TypedEmitter<Record<never, never>> {
  readonly kind = 'data' as const;
  readonly id = crypto.randomUUID();
  readonly name: string;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  private channel: RTCDataChannel | undefined;
  private waiting: DataMessage[] = [];
  private onOpen: Array<() => void> = [];

  constructor(options: LocalDataTrackOptions = {}) {
    super();
    this.name = options.name ?? this.id;
    this.ordered = options.ordered ?? true;
    this.maxPacketLifeTime = options.maxPacketLifeTime ?? null;
    this.maxRetransmits = options.maxRetransmits ?? null;
    if (this.maxPacketLifeTime !== null && this.maxRetransmits !== null)
      throw new TypeError('A data track takes maxPacketLifeTime or maxRetransmits, not both');
  }

  /** Reliable: ordered, with no limit on retrying. */
  get reliable(): boolean {
    return this.ordered && this.maxPacketLifeTime === null && this.maxRetransmits === null;
  }

  /** @internal */
  get reliability(): DataReliability {
    return { ordered: this.ordered, maxPacketLifeTime: this.maxPacketLifeTime, maxRetransmits: this.maxRetransmits };
  }

  /** Sends to everyone in the room subscribed to this track; nothing while it is not published. */
  send(data: DataMessage): void {
    const channel = this.channel;
    if (channel?.readyState === 'open') return sendOn(channel, data);
    if (channel?.readyState === 'connecting') this.waiting.push(data);
  }

  /** @internal the room's connection gave the track its channel (again, after a reconnection). */
  _attach(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.addEventListener('open', () => {
      if (this.channel !== channel) return;
      for (const data of this.waiting.splice(0)) sendOn(channel, data);
      for (const callback of this.onOpen.splice(0)) callback();
    });
  }

  /** @internal calls back once the track's next channel is open (now, if it already is). */
  _whenOpen(callback: () => void): void {
    if (this.channel?.readyState === 'open') callback();
    else this.onOpen.push(callback);
  }

  /** @internal unpublished, or the connection went: its channel closes. */
  _detach(): void {
    this.channel?.close();
    this.channel = undefined;
    this.waiting = [];
    this.onOpen = [];
  }
}
