/**
 * One participant's PeerConnection on the SFU. Several native calls abort the whole process when
 * made in the wrong state (setLocalDescription outside 'stable', an offer with no media line), so
 * each is guarded here. The SFU is always the offerer, so there is no glare.
 */
import type { TrackKind } from '../../protocol/messages.js';
import type { NativePeer } from './native.js';
import { ReceiveLine } from './receive-line.js';
import { announceAddress, describeMedia, type SendIdentity, splitCandidates } from './sdp.js';
import { SendLine, type SendLoad } from './send-line.js';

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface Offer {
  sdp: string;
  /**
   * The server's ICE candidates, when the offer was asked for without them: resolves once
   * gathering is complete (the offer itself does not wait for it).
   */
  candidates: Promise<string[]>;
}

export class MediaPeer {
  private readonly gatheringWaiters: Array<() => void> = [];
  private readonly stateListeners: Array<(state: PeerState) => void> = [];
  private readonly receiveLines: ReceiveLine[] = [];
  private readonly sendLines: SendLine[] = [];
  private readonly timeoutListeners: Array<() => void> = [];
  private closed = false;
  private lineCounter = 0;
  private everConnected = false;
  private connectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pc: NativePeer,
    private readonly options: { announcedAddress: string | undefined; connectTimeoutMs: number; load: SendLoad },
  ) {
    // Registered before any setLocalDescription: with no ICE servers gathering can finish inside it.
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') this.gathered();
    });
    // The native binding keeps one callback per event; fan it out here.
    pc.onStateChange((state) => {
      if (state === 'connected') {
        this.everConnected = true;
        clearTimeout(this.connectTimer);
      }
      for (const listener of this.stateListeners) listener(state as PeerState);
    });
  }

  /** Wakes everyone waiting for ICE gathering (done, or the peer closed). */
  private gathered(): void {
    for (const resolve of this.gatheringWaiters.splice(0)) resolve();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get state(): PeerState {
    return this.pc.state() as PeerState;
  }

  onStateChange(callback: (state: PeerState) => void): void {
    this.stateListeners.push(callback);
  }

  /** Called once if the peer has not connected within the connect timeout of its first offer. */
  onConnectTimeout(callback: () => void): void {
    this.timeoutListeners.push(callback);
  }

  private startConnectTimer(): void {
    if (this.connectTimer || this.everConnected) return;
    this.connectTimer = setTimeout(() => {
      if (this.closed || this.everConnected) return;
      for (const listener of this.timeoutListeners) listener();
    }, this.options.connectTimeoutMs);
    this.connectTimer.unref();
  }

  addReceiveLine(kind: TrackKind, mid: string): ReceiveLine {
    const line = new ReceiveLine(this.pc.addTrack(describeMedia(kind, mid, 'RecvOnly')), kind, mid);
    this.receiveLines.push(line);
    return line;
  }

  /** A line to send a remote track on: a free one of its kind when there is one, else a new one. */
  takeSendLine(kind: TrackKind, send: SendIdentity): SendLine {
    const free = this.sendLines.find((line) => line.kind === kind && line.isFree);
    if (free) {
      free.assign(send);
      return free;
    }
    const mid = `${kind === 'audio' ? 'a' : 'v'}${++this.lineCounter}`;
    const line = new SendLine(this.pc, kind, mid, send, this.options.load);
    this.sendLines.push(line);
    return line;
  }

  /** The first line's mid: the one a BUNDLE's candidates are given for. */
  get firstMid(): string | undefined {
    return this.receiveLines[0]?.mid ?? this.sendLines[0]?.mid;
  }

  /** Lines in the next offer: how big this participant's offers are. */
  get lineCount(): number {
    return this.receiveLines.length + this.sendLines.length;
  }

  /**
   * Sends RTCP on this connection. Any handler-less line carries it (the receiver routes RTCP by
   * the SSRCs inside): a receive line when the participant publishes, else an audio send line.
   */
  sendRtcp(packet: Buffer): boolean {
    for (const line of this.receiveLines) if (line.sendRtcp(packet)) return true;
    for (const line of this.sendLines) if (line.sendRtcp(packet)) return true;
    return false;
  }

  /** An offer with no media line aborts the process natively ("No DataChannel or Track to negotiate"). */
  get hasMedia(): boolean {
    return this.lineCount > 0;
  }

  get canOffer(): boolean {
    return !this.closed && this.hasMedia && this.pc.signalingState() === 'stable';
  }

  /**
   * Creates an offer. By default it resolves once ICE gathering is complete (no trickle), with the
   * candidates in the SDP. With `withoutCandidates` it resolves at once with an SDP that has none,
   * and the candidates (once gathered) apart, to be given to the client only after its answer is
   * applied: a client that can reach the server before then can make libdatachannel run the DTLS
   * handshake before it has stored the answer's fingerprint. Not waiting also saves the ~90 ms the
   * server's gathering takes from a joiner's first offer.
   */
  async createOffer(options: { withoutCandidates: boolean }): Promise<Offer> {
    if (!this.canOffer) {
      const why = this.closed
        ? 'closed'
        : this.hasMedia
          ? `signalling state ${this.pc.signalingState()}`
          : 'no media lines';
      throw new Error(`cannot offer: ${why}`);
    }
    for (const line of this.sendLines) line._offering();
    this.startConnectTimer();
    const gathered = new Promise<void>((resolve) => this.gatheringWaiters.push(resolve));
    this.pc.setLocalDescription('offer');
    if (this.pc.gatheringState() === 'complete') this.gathered();
    const describe = () => {
      const description = this.pc.localDescription();
      if (!description || this.closed) throw new Error('the peer closed while gathering');
      return announceAddress(description.sdp, this.options.announcedAddress);
    };
    if (options.withoutCandidates) {
      const { sdp } = splitCandidates(describe());
      return { sdp, candidates: gathered.then(() => splitCandidates(describe()).candidates) };
    }
    await gathered;
    return { sdp: describe(), candidates: Promise.resolve([]) };
  }

  /** A candidate the client trickled after its answer (protocol 2), for the first line of the BUNDLE. */
  addRemoteCandidate(candidate: string, mid: string): void {
    if (this.closed || !this.pc.remoteDescription()) return;
    this.pc.addRemoteCandidate(candidate, mid);
  }

  /** Applies the remote answer; throws (in JS, not natively) when there is no offer to answer. */
  applyAnswer(sdp: string): void {
    if (this.closed || this.pc.signalingState() !== 'have-local-offer') {
      throw new Error('no offer is waiting for an answer');
    }
    this.pc.setRemoteDescription(sdp, 'answer');
    for (const line of this.sendLines) line._answered();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    for (const line of this.sendLines) line.close();
    for (const line of this.receiveLines) line.close();
    this.gathered();
    try {
      this.pc.close();
    } catch {
      // already closed natively
    }
  }
}
