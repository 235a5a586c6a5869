/**
 * A data track one participant publishes (twilio-video's LocalDataTrack): the data channel its
 * browser opens, labelled with the track's name, and one channel per subscriber, labelled with the
 * track's SID and opened by the server with the publisher's reliability. Every message from the
 * first goes to all the others as it came, text or binary.
 */
import type { Logger } from 'pino';
import type { DataReliability, TrackInfo, TrackPriority } from '../protocol/messages.js';
import type { DataLine } from './engine/data-line.js';

/**
 * A subscriber's channel holding this much unsent is not reading: further messages to it are
 * dropped (counted) until it drains, so one stalled browser costs the server bounded memory and
 * everyone else keeps receiving.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export const RELIABLE: DataReliability = { ordered: true, maxPacketLifeTime: null, maxRetransmits: null };

export class DataPublication {
  readonly kind = 'data';
  priority: TrackPriority = 'standard';
  private source: DataLine | undefined;
  private readonly outlets = new Map<string, DataLine>();
  /** Messages received from the publisher, and copies dropped for subscribers not reading. */
  received = 0;
  dropped = 0;
  private closed = false;

  constructor(
    readonly sid: string,
    readonly name: string,
    readonly reliability: DataReliability,
    private readonly log: Logger,
  ) {}

  /** The publisher's own channel for this track: what arrives on it is forwarded. */
  attachSource(line: DataLine): void {
    if (this.closed) return line.close();
    this.source?.close();
    this.source = line;
    line.onMessage((message) => this.forward(message));
  }

  /** A subscriber's channel for this track (the server opened it on the subscriber's connection). */
  addSubscriber(participantSid: string, line: DataLine): void {
    if (this.closed) return line.close();
    this.outlets.get(participantSid)?.close();
    this.outlets.set(participantSid, line);
  }

  removeSubscriber(participantSid: string): void {
    this.outlets.get(participantSid)?.close();
    this.outlets.delete(participantSid);
  }

  private forward(message: string | Buffer): void {
    this.received++;
    for (const [subscriber, line] of this.outlets) {
      if (line.bufferedAmount > MAX_BUFFERED_BYTES || !line.send(message)) {
        if (line.isOpen && this.dropped++ % 1000 === 0)
          this.log.debug({ track: this.sid, subscriber }, 'a data track subscriber is not reading; messages dropped');
      }
    }
  }

  info(): TrackInfo {
    return {
      sid: this.sid,
      kind: 'data',
      name: this.name,
      enabled: true,
      ...(this.priority === 'standard' ? {} : { priority: this.priority }),
    };
  }

  close(): void {
    this.closed = true;
    this.source?.close();
    for (const line of this.outlets.values()) line.close();
    this.outlets.clear();
  }
}
