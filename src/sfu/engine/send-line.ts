/**
 * A line on which the SFU sends a subscriber one remote track. Lines are recycled: when a track
 * goes (its publisher left, or unpublished it) the line stops carrying anything, and the next track
 * of its kind takes it with a new SSRC and msid, so an offer's size follows the room's size today
 * and not its history. libdatachannel replaces a line's description when addTrack is called again
 * with its mid, and hands back a new JS wrapper around the same native track; every wrapper is
 * kept, because a collected wrapper closes the native track for good. Each such call costs about
 * 4.6 KB that node-datachannel never gives back while the connection lives (measured: 10,000
 * re-adds on one line, +46 MiB, whether the wrappers are kept or collected), so a line is
 * re-described once per track it carries, not again when it is freed: a freed line keeps its last
 * description (an SSRC that sends nothing) until the next track takes it.
 */
import nodeDataChannel from 'node-datachannel';
import type { TrackKind } from '../../protocol/messages.js';
import type { NativePeer, NativeTrack } from './native.js';
import { describeMedia, type SendIdentity } from './sdp.js';

const { RtcpNackResponder, PacingHandler } = nodeDataChannel;

const NACK_HISTORY_PACKETS = 512;
/**
 * A video line whose NACKs the SFU answers (a video in layers) still needs a handler in place of
 * its NACK responder, since the binding cannot remove one, and node-datachannel has none that
 * only passes packets on. A responder that keeps one packet is nearly that: it can answer a NACK
 * only for the last packet sent, which a subscriber asks for only when that was itself a resend
 * it lost again before anything else went out on the line. The hand-off queue would do too, but
 * costs a thread hand-off per packet: about a fifth more server CPU per packet forwarded in
 * layers (npm run bench -- --simulcast, N = 12: 23.6 against 29.2 µs, medians of three).
 */
const PASS_THROUGH_HISTORY_PACKETS = 1;
/**
 * Hand-off mode: under heavy forwarding every line ends in a PacingHandler used as a queue, not
 * as a pacer (its rate is far above any line's): a send from JS then only queues the packet, and
 * libdatachannel's thread pool does the SRTP and the sendto, on every core.
 */
const SEND_QUEUE_INTERVAL_MS = 1;
const SEND_QUEUE_BITS_PER_SECOND = 10e9;

/** Sends counted by every line of one engine, for its hand-off decision. */
export interface SendLoad {
  sends: number;
  handoff: boolean;
  readonly lines: Set<SendLine>;
}

export class SendLine {
  /** Every wrapper libdatachannel returned for this mid: kept referenced, see above. */
  private readonly wrappers: NativeTrack[] = [];
  private track: NativeTrack;
  private identity: SendIdentity | null = null;
  /**
   * Kept from the native open/closed events rather than asked per packet: the send path runs
   * once per packet per subscriber, and isOpen() is a native call taking a lock each time.
   */
  private open = false;
  /** The subscriber has applied an answer to an offer carrying the current assignment. */
  private answered = false;
  /** Offered since the current assignment, awaiting the answer. */
  private offered = false;
  private ready: (() => void) | undefined;
  private rtcp: ((packet: Buffer) => void) | undefined;
  private handoff: boolean | undefined;
  /** libdatachannel answers this line's NACKs from its own history (false: the SFU does, see retransmitter.ts). */
  private nativeNack = true;
  /** The handler chain ends in a queue: a send that answers false was queued, not refused. */
  private queued = false;
  private packetsSent = 0;
  private octetsSent = 0;
  private closed = false;

  constructor(
    private readonly pc: NativePeer,
    readonly kind: TrackKind,
    readonly mid: string,
    send: SendIdentity,
    private readonly load: SendLoad,
  ) {
    this.track = this.describe(send);
    this.setHandoff(load.handoff);
    load.lines.add(this);
  }

  get ssrc(): number {
    return this.identity?.ssrc ?? 0;
  }

  /** Carries the current assignment to a subscriber that knows it (open, and the offer answered). */
  get isReady(): boolean {
    return this.identity !== null && this.open && this.answered;
  }

  get isFree(): boolean {
    return this.identity === null && !this.closed;
  }

  /** Packets and bytes sent on the current assignment, for its sender reports. */
  get sent(): { packets: number; octets: number } {
    return { packets: this.packetsSent, octets: this.octetsSent };
  }

  /** Gives the line to a new track (a new SSRC and msid); it carries media once `onReady` fires. */
  assign(send: SendIdentity): void {
    this.track = this.describe(send);
  }

  /** Frees the line for the next track of its kind; nothing is sent on it meanwhile. */
  release(): void {
    this.identity = null;
    this.ready = undefined;
    this.rtcp = undefined;
  }

  private describe(send: SendIdentity): NativeTrack {
    this.identity = send;
    this.answered = false;
    this.offered = false;
    this.packetsSent = 0;
    this.octetsSent = 0;
    const track = this.pc.addTrack(describeMedia(this.kind, this.mid, 'SendOnly', send));
    this.wrappers.push(track);
    // The callbacks live on the native track, not on the wrapper that set them: set once on the
    // first wrapper, they serve every later one. Setting them again would give each recycled line
    // three more thread-safe functions the binding never frees while the line lives.
    if (this.wrappers.length === 1) {
      track.onOpen(() => {
        this.open = true;
        this.checkReady();
      });
      track.onClosed(() => {
        this.open = false;
      });
      track.onMessage((packet) => this.rtcp?.(packet));
    }
    this.open = track.isOpen();
    return track;
  }

  /** Called once the line carries the current assignment to a subscriber that knows it. */
  onReady(callback: () => void): void {
    this.ready = callback;
    this.checkReady();
  }

  /** RTCP from the subscriber that names this line (receiver reports, NACKs, PLIs, ...). */
  onRtcp(callback: (packet: Buffer) => void): void {
    this.rtcp = callback;
  }

  /** @internal the peer is about to offer: this assignment is in that offer. */
  _offering(): void {
    if (this.identity !== null) this.offered = true;
  }

  /** @internal the subscriber answered the last offer. */
  _answered(): void {
    if (!this.offered) return;
    this.answered = true;
    this.checkReady();
  }

  private checkReady(): void {
    if (!this.open || !this.answered || !this.ready) return;
    const ready = this.ready;
    this.ready = undefined;
    ready();
  }

  /** Rebuilds the line's handler chain with or without the hand-off queue at its end. */
  setHandoff(handoff: boolean): void {
    if (this.closed || handoff === this.handoff) return;
    // An audio line has no handler when sends are inline, and the binding cannot remove one:
    // once an audio line has its queue it keeps it (audio is under a third of the packets).
    if (!handoff && this.handoff && this.kind === 'audio') return;
    this.handoff = handoff;
    this.rebuild();
  }

  /**
   * Whether libdatachannel answers the subscriber's NACKs (it resends every packet asked for, as
   * often as asked: on a congested link that is more traffic on it), or the SFU does, within a
   * budget (a video in layers). Video lines only.
   */
  setNativeNack(native: boolean): void {
    if (this.closed || this.kind !== 'video' || native === this.nativeNack) return;
    this.nativeNack = native;
    this.rebuild();
  }

  private rebuild(): void {
    const queue = this.handoff ? new PacingHandler(SEND_QUEUE_BITS_PER_SECOND, SEND_QUEUE_INTERVAL_MS) : undefined;
    // Retransmission history for video only: Opus never negotiates NACK, so keeping audio would be pure cost.
    const nack =
      this.kind !== 'video'
        ? undefined
        : new RtcpNackResponder(this.nativeNack ? NACK_HISTORY_PACKETS : PASS_THROUGH_HISTORY_PACKETS);
    // The queue goes last, so the NACK history still sees every packet.
    if (nack && queue) nack.addToChain(queue);
    const chain = nack ?? queue;
    this.queued = queue !== undefined;
    if (chain) this.track.setMediaHandler(chain);
  }

  /**
   * Writes this line's SSRC into the packet and sends it. The native send copies and encrypts
   * synchronously, so the caller may reuse the buffer for the next subscriber.
   */
  send(packet: Buffer): boolean {
    if (this.identity === null || !this.open) return false;
    packet.writeUInt32BE(this.identity.ssrc, 8);
    this.load.sends++;
    this.packetsSent++;
    this.octetsSent += packet.length - 12;
    try {
      // With the hand-off queue the native send answers false: the packet was queued, not sent.
      return this.track.sendMessageBinary(packet) || this.queued;
    } catch {
      // Closed natively before the closed event reached us, or SRTP refused the packet (a
      // sequence number far behind the last one sent): the binding throws, nothing aborts.
      this.open = this.track.isOpen();
      return false;
    }
  }

  /**
   * Sends RTCP of the connection on this line, for a participant that publishes nothing (so has no
   * receive line). Audio lines only: a video line's NACK history would store it as a packet.
   */
  sendRtcp(packet: Buffer): boolean {
    if (this.kind !== 'audio' || !this.open) return false;
    try {
      return this.track.sendMessageBinary(packet) || this.queued;
    } catch {
      return false;
    }
  }

  /**
   * The peer is closing: nothing more is sent, and every wrapper is closed, which is what makes
   * the binding let go of their callbacks (see ReceiveLine.close).
   */
  close(): void {
    this.closed = true;
    this.identity = null;
    this.ready = undefined;
    this.rtcp = undefined;
    this.load.lines.delete(this);
    for (const wrapper of this.wrappers.splice(0)) {
      try {
        wrapper.close();
      } catch {
        // already closed natively
      }
    }
  }
}
