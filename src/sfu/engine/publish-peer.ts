/**
 * A connection on which a publisher's browser sends the SFU one video track in simulcast layers.
 * Here the browser offers and the SFU answers, the other way round from a participant's main
 * connection (media-peer.ts): a browser sends simulcast only as the offerer. And each layered
 * track has a connection of its own because Chrome's rid-based layers announce no SSRCs (Firefox's
 * list SSRCs, but none says which rid it carries), and libdatachannel hands such packets to a
 * track only on a connection with a single track.
 */
import { isRtcp } from '../rtp/rtp-header.js';
import type { NativePeer, NativeTrack } from './native.js';
import { announceAddress } from './sdp.js';
import { readSimulcastOffer, type SimulcastOffer, simulcastAnswer } from './simulcast-sdp.js';

export type PublishPeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export class PublishPeer {
  /** Referenced for as long as the peer lives: a collected track wrapper stops its callbacks. */
  private track: NativeTrack | undefined;
  private open = false;
  private closed = false;
  private onRtp: ((packet: Buffer) => void) | undefined;
  private onRtcp: ((packet: Buffer) => void) | undefined;
  private readonly stateListeners: Array<(state: PublishPeerState) => void> = [];
  /** The answer, with every candidate, once gathering is complete. */
  readonly answer: Promise<string>;
  readonly offer: SimulcastOffer;

  /** Throws SimulcastOfferError (before any native call) on an offer the SFU does not take. */
  constructor(
    private readonly pc: NativePeer,
    offerSdp: string,
    announcedAddress: string | undefined,
  ) {
    this.offer = readSimulcastOffer(offerSdp);
    pc.onStateChange((state) => {
      for (const listener of this.stateListeners) listener(state as PublishPeerState);
    });
    pc.onTrack((track) => this.adopt(track));
    const gathered = new Promise<void>((resolve) => {
      pc.onGatheringStateChange((state) => {
        if (state === 'complete') resolve();
      });
    });
    // Auto-negotiation: the native side answers inside setRemoteDescription. It throws in JS on
    // an SDP it cannot parse, which the caller reports to the client.
    pc.setRemoteDescription(offerSdp, 'offer');
    const ready = pc.gatheringState() === 'complete' ? Promise.resolve() : gathered;
    this.answer = ready.then(() => {
      const answer = pc.localDescription()?.sdp;
      if (!answer || this.closed) throw new Error('the publish connection closed before it answered');
      return announceAddress(simulcastAnswer(answer, offerSdp, this.offer), announcedAddress);
    });
  }

  private adopt(track: NativeTrack): void {
    if (this.closed || this.track) {
      try {
        track.close();
      } catch {
        // already closed natively
      }
      return;
    }
    this.track = track;
    track.onOpen(() => {
      this.open = true;
    });
    track.onClosed(() => {
      this.open = false;
    });
    track.onMessage((packet) => {
      if (isRtcp(packet)) this.onRtcp?.(packet);
      else this.onRtp?.(packet);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onStateChange(listener: (state: PublishPeerState) => void): void {
    this.stateListeners.push(listener);
  }

  /** Every packet of every layer: RTP to `onRtp`, RTCP compounds to `onRtcp`. */
  onPacket(onRtp: (packet: Buffer) => void, onRtcp: (packet: Buffer) => void): void {
    this.onRtp = onRtp;
    this.onRtcp = onRtcp;
  }

  /** Sends RTCP to the publisher (the track has no media handler, so it goes out as written). */
  sendRtcp(packet: Buffer): boolean {
    if (!this.open || !this.track) return false;
    try {
      return this.track.sendMessageBinary(packet);
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onRtp = undefined;
    this.onRtcp = undefined;
    try {
      this.track?.close();
    } catch {
      // already closed natively
    }
    try {
      this.pc.close();
    } catch {
      // already closed natively
    }
  }
}
