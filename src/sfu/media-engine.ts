/**
 * The one module that talks to node-datachannel (libdatachannel). Several of its calls abort the
 * whole process when made in the wrong state (requestKeyframe on a closed track,
 * setLocalDescription outside 'stable'), so every call goes through a guard here and the rest of
 * the SFU only sees MediaPeer, ReceiveTrack and SendTrack.
 */
import nodeDataChannel from 'node-datachannel';
import type { Logger } from 'pino';
import type { TrackKind } from '../protocol/messages.js';
import { AUDIO_LEVEL_EXTENSION_ID, AUDIO_LEVEL_URI } from './audio-level.js';

const { PeerConnection, Audio, Video, RtcpReceivingSession, RtcpNackResponder, PacingHandler } = nodeDataChannel;
type NativePeer = InstanceType<typeof PeerConnection>;
type NativeTrack = ReturnType<NativePeer['addTrack']>;

/** Payload types the server offers; every peer answers with them, so forwarding never rewrites them. */
export const OPUS_PAYLOAD_TYPE = 111;
export const VP8_PAYLOAD_TYPE = 96;
const NACK_HISTORY_PACKETS = 512;
/**
 * Hand-off mode: under heavy forwarding every send line ends in a libdatachannel PacingHandler
 * used as a queue, not as a pacer (its rate is far above any line's). A send from JS then only
 * queues the packet, and libdatachannel's thread pool does the SRTP and the sendto a millisecond
 * later, on every core; the forwarding loop itself stays on one JS thread. Measured (npm run
 * bench): it costs more CPU per packet at small rooms (thread hand-offs), and nearly doubles what
 * one worker can forward, so it is on only while a worker sends more than sendHandoffAbove
 * packets a second (30,000 by default), and off again below half of that.
 */
const SEND_QUEUE_INTERVAL_MS = 1;
const SEND_QUEUE_BITS_PER_SECOND = 10e9;
const LOAD_CHECK_INTERVAL_MS = 1000;

export interface MediaEngineOptions {
  port: number;
  bindAddress: string | undefined;
  announcedAddress: string | undefined;
  /** Sends a second above which they are handed off (HUDDLE_SEND_HANDOFF_ABOVE); back below half. */
  sendHandoffAbove: number;
  /** For diagnosing connections: libdatachannel's own log at this level in ours (HUDDLE_RTC_LOG_LEVEL). */
  nativeLogLevel?: 'Verbose' | 'Debug' | 'Info' | 'Warning' | 'Error' | undefined;
}

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

function describe(kind: TrackKind, mid: string, direction: 'RecvOnly' | 'SendOnly') {
  if (kind === 'audio') {
    const audio = new Audio(mid, direction);
    audio.addOpusCodec(OPUS_PAYLOAD_TYPE);
    // Publishers then put their audio level in every packet: the dominant speaker comes from it.
    if (direction === 'RecvOnly') audio.parseSdpLine(`a=extmap:${AUDIO_LEVEL_EXTENSION_ID} ${AUDIO_LEVEL_URI}`);
    return audio;
  }
  const video = new Video(mid, direction);
  video.addVP8Codec(VP8_PAYLOAD_TYPE);
  return video;
}

/** Bytes 1 of an RTCP packet hold its type, 192–223 for the types RTP never uses. */
export function isRtcp(packet: Buffer): boolean {
  return packet.length >= 2 && packet[1]! >= 192 && packet[1]! <= 223;
}

/** True when a (compound) RTCP packet holds a PLI or a FIR: the receiver needs a keyframe. */
export function isKeyframeRequest(packet: Buffer): boolean {
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const fmt = packet[offset]! & 0x1f;
    const type = packet[offset + 1]!;
    if (type === 206 && (fmt === 1 || fmt === 4)) return true;
    offset += (packet.readUInt16BE(offset + 2) + 1) * 4;
  }
  return false;
}

/** Puts the announced address in place of local ones in host candidates (servers behind NAT). */
export function announceAddress(sdp: string, address: string | undefined): string {
  if (!address) return sdp;
  return sdp
    .split('\r\n')
    .map((line) => {
      if (line.startsWith('a=candidate:')) {
        const parts = line.split(' ');
        if (parts.length > 5) parts[4] = address;
        return parts.join(' ');
      }
      if (line.startsWith('c=IN ')) return `c=IN ${address.includes(':') ? 'IP6' : 'IP4'} ${address}`;
      return line;
    })
    .join('\r\n');
}

export class ReceiveTrack {
  constructor(
    private readonly track: NativeTrack,
    readonly kind: TrackKind,
    readonly mid: string,
  ) {}

  /** Calls back with every RTP packet from the remote peer; RTCP on the same path is dropped here. */
  onRtp(callback: (packet: Buffer) => void): void {
    this.track.onMessage((packet) => {
      if (!isRtcp(packet)) callback(packet);
    });
  }

  /** Sends a PLI; a no-op while the track is not open (the native call would abort the process). */
  requestKeyframe(): boolean {
    if (this.kind !== 'video' || !this.track.isOpen()) return false;
    return this.track.requestKeyframe();
  }
}

/** Sends counted by every SendTrack of one engine, for its hand-off decision. */
interface SendLoad {
  sends: number;
  handoff: boolean;
  readonly tracks: Set<SendTrack>;
}

export class SendTrack {
  private closed = false;
  /**
   * Kept from the native open/closed events rather than asked per packet: the send path runs
   * once per packet per subscriber, and isOpen() is a native call taking a lock each time.
   */
  private open = false;
  private readonly openListeners: Array<() => void> = [];
  private handoff: boolean | undefined;
  constructor(
    private readonly track: NativeTrack,
    readonly kind: TrackKind,
    readonly mid: string,
    readonly ssrc: number,
    private readonly load: SendLoad,
  ) {
    // The native binding keeps one callback per event; fan it out here.
    track.onOpen(() => {
      this.open = true;
      for (const listener of this.openListeners) listener();
    });
    track.onClosed(() => (this.open = false));
    this.setHandoff(load.handoff);
    load.tracks.add(this);
  }

  /** Rebuilds the line's handler chain with or without the hand-off queue at its end. */
  setHandoff(handoff: boolean): void {
    if (this.closed || handoff === this.handoff) return;
    // An audio line has no handler when sends are inline, and the binding cannot remove one:
    // once an audio line has its queue it keeps it (audio is under a third of the packets).
    if (!handoff && this.handoff && this.kind === 'audio') return;
    this.handoff = handoff;
    const queue = handoff ? new PacingHandler(SEND_QUEUE_BITS_PER_SECOND, SEND_QUEUE_INTERVAL_MS) : undefined;
    // Retransmission history for video only: audio lines never negotiate NACK (Opus has no
    // rtcp-fb nack in the offer), and keeping every audio packet would be pure cost.
    const nack = this.kind === 'video' ? new RtcpNackResponder(NACK_HISTORY_PACKETS) : undefined;
    // The queue goes last, so the NACK history still sees every packet.
    if (nack && queue) nack.addToChain(queue);
    const chain = nack ?? queue;
    if (chain) this.track.setMediaHandler(chain);
  }

  onOpen(callback: () => void): void {
    this.openListeners.push(callback);
  }

  onKeyframeRequest(callback: () => void): void {
    this.track.onMessage((packet) => {
      if (isRtcp(packet) && isKeyframeRequest(packet)) callback();
    });
  }

  /**
   * Writes this line's SSRC into the packet and sends it. The native send copies and encrypts
   * synchronously, so the caller may reuse the buffer for the next subscriber.
   */
  send(packet: Buffer): boolean {
    if (this.closed || !this.open) return false;
    packet.writeUInt32BE(this.ssrc, 8);
    this.load.sends++;
    try {
      // With the hand-off queue the native send answers false: the packet was queued, not sent.
      return this.track.sendMessageBinary(packet) || this.handoff === true;
    } catch {
      // Closed natively before the closed event reached us: the binding throws, nothing aborts.
      this.open = false;
      return false;
    }
  }

  /** Stops forwarding; the media line stays in the SDP (libdatachannel cannot remove lines). */
  stop(): void {
    this.closed = true;
    this.load.tracks.delete(this);
  }
}

export class MediaPeer {
  private readonly gatheringWaiters: Array<() => void> = [];
  private readonly stateListeners: Array<(state: PeerState) => void> = [];
  private closed = false;
  private tracks = 0;

  private readonly sendTracks: SendTrack[] = [];
  constructor(
    private readonly pc: NativePeer,
    private readonly announcedAddress: string | undefined,
    private readonly load: SendLoad,
  ) {
    // Registered before any setLocalDescription: with no ICE servers gathering can finish inside it.
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') this.gathered();
    });
    // The native binding keeps one callback per event; fan it out here.
    pc.onStateChange((state) => {
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

  onStateChange(callback: (state: PeerState) => void): void {
    this.stateListeners.push(callback);
  }

  addReceiveTrack(kind: TrackKind, mid: string): ReceiveTrack {
    const track = this.pc.addTrack(describe(kind, mid, 'RecvOnly'));
    this.tracks++;
    track.setMediaHandler(new RtcpReceivingSession());
    return new ReceiveTrack(track, kind, mid);
  }

  addSendTrack(
    kind: TrackKind,
    mid: string,
    ssrc: number,
    cname: string,
    streamId: string,
    trackId: string,
  ): SendTrack {
    const media = describe(kind, mid, 'SendOnly');
    media.addSSRC(ssrc, cname, streamId, trackId);
    const track = new SendTrack(this.pc.addTrack(media), kind, mid, ssrc, this.load);
    this.tracks++;
    this.sendTracks.push(track);
    return track;
  }

  /** An offer with no media line aborts the process natively ("No DataChannel or Track to negotiate"). */
  get hasMedia(): boolean {
    return this.tracks > 0;
  }

  get canOffer(): boolean {
    return !this.closed && this.hasMedia && this.pc.signalingState() === 'stable';
  }

  /** Creates an offer and resolves with its SDP once ICE gathering is complete (no trickle). */
  async createOffer(): Promise<string> {
    if (!this.canOffer) {
      const why = this.closed
        ? 'closed'
        : this.hasMedia
          ? `signalling state ${this.pc.signalingState()}`
          : 'no media lines';
      throw new Error(`cannot offer: ${why}`);
    }
    const gathered = new Promise<void>((resolve) => this.gatheringWaiters.push(resolve));
    this.pc.setLocalDescription('offer');
    if (this.pc.gatheringState() === 'complete') this.gathered();
    await gathered;
    const description = this.pc.localDescription();
    if (!description || this.closed) throw new Error('the peer closed while gathering');
    return announceAddress(description.sdp, this.announcedAddress);
  }

  /** Applies the remote answer; throws (in JS, not natively) when there is no offer to answer. */
  applyAnswer(sdp: string): void {
    if (this.closed || this.pc.signalingState() !== 'have-local-offer') {
      throw new Error('no offer is waiting for an answer');
    }
    this.pc.setRemoteDescription(sdp, 'answer');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const track of this.sendTracks) track.stop();
    this.gathered();
    try {
      this.pc.close();
    } catch {
      // already closed natively
    }
  }
}

export class MediaEngine {
  private peers = 0;
  private readonly load: SendLoad = { sends: 0, handoff: false, tracks: new Set() };
  private readonly loadTimer: NodeJS.Timeout;
  constructor(
    private readonly options: MediaEngineOptions,
    private readonly log: Logger,
  ) {
    if (options.nativeLogLevel) {
      nodeDataChannel.initLogger(options.nativeLogLevel, (level, message) => log.info({ native: level }, message));
    }
    this.loadTimer = setInterval(() => this.checkLoad(), LOAD_CHECK_INTERVAL_MS).unref();
  }

  private checkLoad(): void {
    const perSecond = (this.load.sends * 1000) / LOAD_CHECK_INTERVAL_MS;
    this.load.sends = 0;
    const above = this.options.sendHandoffAbove;
    const handoff = this.load.handoff ? perSecond >= above / 2 : perSecond > above;
    if (handoff === this.load.handoff) return;
    this.load.handoff = handoff;
    for (const track of this.load.tracks) track.setHandoff(handoff);
    this.log.info(
      { sendsPerSecond: perSecond, lines: this.load.tracks.size },
      handoff ? 'sends handed off to the media threads' : 'sends made inline again',
    );
  }

  createPeer(name: string): MediaPeer {
    const pc = new PeerConnection(name, {
      iceServers: [],
      disableAutoNegotiation: true,
      enableIceUdpMux: true,
      portRangeBegin: this.options.port,
      portRangeEnd: this.options.port,
      ...(this.options.bindAddress ? { bindAddress: this.options.bindAddress } : {}),
    });
    this.peers++;
    this.log.debug({ peer: name, peers: this.peers }, 'peer created');
    const peer = new MediaPeer(pc, this.options.announcedAddress, this.load);
    peer.onStateChange((state) => {
      if (state === 'closed') this.peers--;
    });
    return peer;
  }

  /** Ends every native thread; call once, after every peer has closed. */
  shutdown(): void {
    clearInterval(this.loadTimer);
    nodeDataChannel.cleanup();
  }
}
