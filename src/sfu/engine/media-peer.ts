/**
 * One participant's PeerConnection on the SFU: its media lines and its data lines (SCTP data
 * channels, see data-line.ts). Several native calls abort the whole process when made in the wrong
 * state (setLocalDescription outside 'stable', an offer with nothing to negotiate), so each is
 * guarded here. The SFU is always the offerer, so there is no glare.
 */
import type { TrackKind } from '../../protocol/messages.js';
import { DataLine, type DataReliability } from './data-line.js';
import type { NativeDataChannel, NativePeer } from './native.js';
import { ReceiveLine } from './receive-line.js';
import {
  acceptsApplication,
  announceAddress,
  applicationMid,
  describeMedia,
  type SendIdentity,
  splitCandidates,
} from './sdp.js';
import { SendLine, type SendLoad } from './send-line.js';

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface DataLineOptions {
  /** Default true. */
  ordered?: boolean;
  /** Exclusive with maxPacketLifeTime; neither means reliable. */
  maxRetransmits?: number;
  /** Milliseconds; exclusive with maxRetransmits. */
  maxPacketLifeTime?: number;
  /** Carried to the remote in the DCEP open, as the browser's RTCDataChannel.protocol. */
  protocol?: string;
}

/**
 * Data lines this side may have open at once. 1024 SCTP streams are negotiated and the server
 * takes every other id (see data-line.ts), the reserved channel one of them; past that
 * libdatachannel throws, on the SCTP thread for a channel created before SCTP connected.
 */
const MAX_SERVER_DATA_LINES = 511;
/** DCEP carries the label and protocol with 16-bit lengths. */
const MAX_DCEP_STRING_BYTES = 65535;
const RESERVED_CHANNEL_LABEL = 'huddle-sctp';

export interface Offer {
  sdp: string;
  /**
   * The server's ICE candidates, when the offer was asked for without them: resolves once
   * gathering is complete (the offer itself does not wait for it).
   */
  candidates: Promise<string[]>;
}

/** The idle media line of a connection whose first offer would otherwise carry only data (see createOffer). */
const SRTP_KEEPER_MID = 'pk';

export class MediaPeer {
  private readonly gatheringWaiters: Array<() => void> = [];
  private readonly stateListeners: Array<(state: PeerState) => void> = [];
  private readonly receiveLines: ReceiveLine[] = [];
  private readonly sendLines: SendLine[] = [];
  private readonly timeoutListeners: Array<() => void> = [];
  /** Every data line not yet closed, both origins: referenced here so no wrapper is collected. */
  private readonly dataLines = new Set<DataLine>();
  private readonly remoteDataListeners: Array<(line: DataLine) => void> = [];
  /** Client lines that arrived before anyone listened for them. */
  private readonly unclaimedRemoteLines: DataLine[] = [];
  /** Keeps every offer's SCTP line when no data line exists (the `data` option). */
  private readonly reservedChannel: NativeDataChannel | undefined;
  private dataAnswered = false;
  /**
   * An offer went out with no SCTP line, or its answer refused it: none may be added on this
   * connection any more (see openDataLine).
   */
  private sctpRuledOut = false;
  private dataMid: string | undefined;
  private closed = false;
  private lineCounter = 0;
  private everConnected = false;
  private connectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pc: NativePeer,
    private readonly options: {
      announcedAddress: string | undefined;
      connectTimeoutMs: number;
      load: SendLoad;
      /** Put an SCTP line in every offer, so the client can open data channels at any time. */
      data?: boolean;
    },
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
    // Registered at once: a channel the client opens waits natively for this callback, and its
    // messages with it, up to a limit past which the SCTP thread blocks (see data-line.ts).
    pc.onDataChannel((channel) => this.remoteDataChannel(channel));
    if (options.data) {
      // User-negotiated: nothing goes on the wire for it and the client never sees it, but it
      // makes libdatachannel put m=application in the first offer (after that the answer's SCTP
      // line is reciprocated anyway). Its closed callback is what lets the binding free it.
      this.reservedChannel = pc.createDataChannel(RESERVED_CHANNEL_LABEL, { negotiated: true });
      this.reservedChannel.onClosed(() => {});
    }
  }

  /** Wakes everyone waiting for ICE gathering (done, or the peer closed). */
  private gathered(): void {
    for (const resolve of this.gatheringWaiters.splice(0)) resolve();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether it has been connected (SCTP included) at least once. */
  get hasConnected(): boolean {
    return this.everConnected;
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

  /**
   * The first line's mid: the one a BUNDLE's candidates are given for (libdatachannel has one ICE
   * transport per connection and accepts any mid of the BUNDLE). The SCTP line's, for a peer
   * that has only data.
   */
  get firstMid(): string | undefined {
    return this.receiveLines[0]?.mid ?? this.sendLines[0]?.mid ?? this.dataMid;
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

  /**
   * Something to negotiate: an offer with nothing aborts the process natively ("No DataChannel or
   * Track to negotiate"). A media line counts, and so does data: the reserved channel, a data line
   * not yet negotiated, or an SCTP line the client already answered (libdatachannel reciprocates it
   * in every later offer).
   */
  get hasMedia(): boolean {
    return this.lineCount > 0 || this.reservedChannel !== undefined || this.dataAnswered || this.hasServerDataLine;
  }

  private get hasServerDataLine(): boolean {
    for (const line of this.dataLines) if (line.origin === 'server') return true;
    return false;
  }

  /**
   * The client has answered an offer with an SCTP line: data lines open in band from now on, with
   * no new offer. Before that, a line opened here opens once the first offer is answered.
   */
  get dataNegotiated(): boolean {
    return this.dataAnswered;
  }

  /**
   * Opens a data channel toward the client (it sees it in `ondatachannel`, with this label,
   * protocol and reliability). Undefined, with no native call, when the peer is closed, has
   * MAX_SERVER_DATA_LINES open, or was already offered without an SCTP line (or the client
   * refused it); throws (in JS) on options DCEP cannot carry.
   *
   * An SCTP line cannot be added by a later offer: applying the answer that brings it to a
   * connection whose DTLS is up deadlocks the event loop inside libdatachannel 0.24.5 (measured
   * with Chromium: setRemoteDescription starts SCTP on the JS thread, which waits for its own INIT
   * to be written while the DTLS threads wait for it; data-line.ts). So data lines come with the
   * first offer: from the `data` option, or opened before it.
   */
  openDataLine(label: string, options: DataLineOptions = {}): DataLine | undefined {
    const { ordered = true, maxRetransmits, maxPacketLifeTime, protocol = '' } = options;
    if (maxRetransmits !== undefined && maxPacketLifeTime !== undefined) {
      throw new RangeError('a data line takes maxRetransmits or maxPacketLifeTime, not both');
    }
    for (const limit of [maxRetransmits, maxPacketLifeTime]) {
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0 && limit <= 0xffffffff)) {
        throw new RangeError(`a data line's retransmit limit must be a 32-bit unsigned integer, not ${limit}`);
      }
    }
    if (Buffer.byteLength(label) > MAX_DCEP_STRING_BYTES || Buffer.byteLength(protocol) > MAX_DCEP_STRING_BYTES) {
      throw new RangeError('a data line label or protocol is over 65535 bytes');
    }
    if (this.closed || this.sctpRuledOut) return undefined;
    let serverLines = this.reservedChannel ? 1 : 0;
    for (const line of this.dataLines) if (line.origin === 'server') serverLines++;
    if (serverLines >= MAX_SERVER_DATA_LINES) return undefined;
    const reliability: DataReliability = {
      ordered,
      maxRetransmits: maxRetransmits ?? null,
      maxPacketLifeTime: maxPacketLifeTime ?? null,
    };
    let channel: NativeDataChannel;
    try {
      channel = this.pc.createDataChannel(label, {
        unordered: !ordered,
        protocol,
        ...(maxRetransmits !== undefined ? { maxRetransmits } : {}),
        ...(maxPacketLifeTime !== undefined ? { maxPacketLifeTime } : {}),
      });
    } catch {
      return undefined; // closed natively, or no stream id left
    }
    return this.keep(new DataLine(channel, 'server', reliability));
  }

  /**
   * Data channels the client opens in band. A line that came before the first callback was
   * registered is given to it then; its messages meanwhile wait on the line (see DataLine.onMessage).
   */
  onRemoteDataLine(callback: (line: DataLine) => void): void {
    this.remoteDataListeners.push(callback);
    for (const line of this.unclaimedRemoteLines.splice(0)) if (!line.isClosed) callback(line);
  }

  private remoteDataChannel(channel: NativeDataChannel): void {
    if (this.closed) {
      try {
        channel.close();
      } catch {
        // already closed natively
      }
      return;
    }
    // A client line's reliability is not readable from the binding (see data-line.ts).
    const line = this.keep(new DataLine(channel, 'client', null));
    if (this.remoteDataListeners.length === 0) this.unclaimedRemoteLines.push(line);
    for (const listener of this.remoteDataListeners) listener(line);
  }

  private keep(line: DataLine): DataLine {
    this.dataLines.add(line);
    line.onClosed(() => this.dataLines.delete(line));
    return line;
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
          : 'nothing to negotiate (no media line, no data)';
      throw new Error(`cannot offer: ${why}`);
    }
    // libdatachannel sets a connection's DTLS up for SRTP only if its first negotiation has a media
    // line: a first offer of the data line alone leaves it unable to carry the media lines a later
    // offer adds (measured: a watcher who joined first never received video). An idle audio line
    // the browser answers inactive (the SDK's rule for `p…` lines it has no track for) keeps SRTP.
    if (this.receiveLines.length === 0 && this.sendLines.length === 0) this.addReceiveLine('audio', SRTP_KEEPER_MID);
    for (const line of this.sendLines) line._offering();
    this.startConnectTimer();
    const gathered = new Promise<void>((resolve) => this.gatheringWaiters.push(resolve));
    this.pc.setLocalDescription('offer');
    if (this.pc.gatheringState() === 'complete') this.gathered();
    this.dataMid = applicationMid(this.pc.localDescription()?.sdp ?? '');
    if (this.dataMid === undefined) this.sctpRuledOut = true;
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
    if (acceptsApplication(sdp)) this.dataAnswered = true;
    else this.sctpRuledOut = true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    for (const line of this.sendLines) line.close();
    for (const line of this.receiveLines) line.close();
    // Closing a line fires its closed listeners, which take it out of the set.
    for (const line of [...this.dataLines]) line.close();
    this.unclaimedRemoteLines.length = 0;
    this.gathered();
    try {
      this.pc.close();
    } catch {
      // already closed natively
    }
    try {
      this.reservedChannel?.close();
    } catch {
      // already closed natively
    }
  }
}
