/**
 * A line on which a participant sends the SFU one of its tracks. It has no media handler:
 * libdatachannel's receiving session writes receiver reports with wrong fields and drops RTCP
 * written from JavaScript, so the SFU reads the publisher's RTCP and writes its own (src/sfu/quality).
 */
import type { TrackKind } from '../../protocol/messages.js';
import { isRtcp } from '../rtp/rtp-header.js';
import type { NativeTrack } from './native.js';

export class ReceiveLine {
  /** Kept from the native events: asking isOpen() takes a native lock each time. */
  private open = false;

  constructor(
    private readonly track: NativeTrack,
    readonly kind: TrackKind,
    readonly mid: string,
  ) {
    track.onOpen(() => {
      this.open = true;
    });
    track.onClosed(() => {
      this.open = false;
    });
  }

  /** Every packet from the publisher on this line: RTP to `onRtp`, RTCP (whole compounds) to `onRtcp`. */
  onPacket(onRtp: (packet: Buffer) => void, onRtcp: (packet: Buffer) => void): void {
    this.track.onMessage((packet) => {
      if (isRtcp(packet)) onRtcp(packet);
      else onRtp(packet);
    });
  }

  /**
   * Closes the native track: only that releases its callbacks, which the binding holds strongly
   * (and with them this object and everything its callbacks reach) until the wrapper is collected,
   * which their own reference to it prevents.
   */
  close(): void {
    try {
      this.track.close();
    } catch {
      // already closed natively
    }
  }

  /**
   * Sends RTCP on the publisher's connection. Without a handler, libdatachannel sends RTCP on any
   * line whatever its direction, and the receiver routes it by the SSRCs inside, so this line can
   * carry the connection's RTCP for every stream. False while the line is not open.
   */
  sendRtcp(packet: Buffer): boolean {
    if (!this.open) return false;
    try {
      return this.track.sendMessageBinary(packet);
    } catch {
      return false; // closed natively before we knew
    }
  }
}
