/**
 * A synthetic browser sending one video in rid-based simulcast layers: a node-datachannel
 * connection that OFFERS one send-only VP8 line with `a=rid:… send` and `a=simulcast:send`, the
 * mid, rtp-stream-id and transport-wide-cc header extensions, and no SSRCs (Chrome announces none
 * for rid-based layers). Each layer goes on an SSRC of its own, its packets naming their mid and
 * rid until a receiver report acknowledges the SSRC, as Chrome's do. It answers keyframe
 * requests (PLI, FIR) by telling its source which layer was asked for, and NACKs by resending
 * from each layer's history on the same SSRC (there is no RTX on these connections).
 *
 * What it sends is up to its caller: `send({layer, keyframe, data, …})` with a VP8 frame, real
 * (from an encoder) or synthetic (`syntheticVp8Frame`). Signalling is the caller's too: `offer()`
 * gives the SDP to send (Huddle's publishOffer, Janus's publish), `accept()` takes the answer.
 */
import nodeDataChannel from 'node-datachannel';
import { type Feedback, readFeedback } from './rtcp-feedback';
import { CHROME_EXTENSION_IDS, type LayerFrame, type RtpExtensionIds, Vp8RtpStream } from './vp8-rtp';

type PeerConnection = InstanceType<typeof nodeDataChannel.PeerConnection>;
type Track = ReturnType<PeerConnection['addTrack']>;

const TRANSPORT_CC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const RID_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
/** Packets each layer keeps for retransmission. */
const HISTORY = 512;

export interface LayeredPublisherOptions {
  /** The connection's name (node-datachannel's logs). */
  name: string;
  /** The local address to gather on (e.g. loopback); all of them when absent. */
  bindAddress?: string;
  /** The layers' rids, low to high. Default: Huddle's SDK's, q, h, f. */
  rids?: readonly string[];
  /** Default 96, Chrome's usual VP8 payload type. */
  payloadType?: number;
  extensionIds?: RtpExtensionIds;
}

export interface LayerCounts {
  frames: number;
  keyframes: number;
  packets: number;
  bytes: number;
  /** PLIs and FIRs that named this layer's SSRC. */
  keyframeRequests: number;
  /** Packets resent for NACKs. */
  resent: number;
}

/**
 * The SDP a connection has once ICE gathering is complete (no trickle). The gathering callback
 * goes in first: with no ICE servers gathering can finish inside setLocalDescription itself.
 */
export function describeWhenGathered(pc: PeerConnection, type: 'offer' | 'answer'): Promise<string> {
  return new Promise((resolve) => {
    let done = false;
    const once = () => {
      if (done || pc.gatheringState() !== 'complete') return;
      done = true;
      resolve(pc.localDescription()!.sdp);
    };
    pc.onGatheringStateChange(once);
    pc.setLocalDescription(type);
    once();
  });
}

export class LayeredPublisher {
  readonly rids: readonly string[];
  readonly pc: PeerConnection;
  /** Referenced for as long as the publisher lives: a collected Track stops its callbacks. */
  private readonly track: Track;
  private readonly streams: Vp8RtpStream[];
  private readonly history: Array<Array<Buffer | undefined>>;
  private transportSequence = 0;
  private active: boolean[];
  private readonly keyframeListeners: Array<(layer: number) => void> = [];
  private readonly mid = '0';
  readonly counts: LayerCounts[];

  constructor(options: LayeredPublisherOptions) {
    this.rids = options.rids ?? ['q', 'h', 'f'];
    const payloadType = options.payloadType ?? 96;
    const ids = options.extensionIds ?? CHROME_EXTENSION_IDS;
    this.pc = new nodeDataChannel.PeerConnection(options.name, {
      iceServers: [],
      disableAutoNegotiation: true,
      ...(options.bindAddress ? { bindAddress: options.bindAddress } : {}),
    });
    const video = new nodeDataChannel.Video(this.mid, 'SendOnly');
    video.addVP8Codec(payloadType);
    for (const line of [
      `a=extmap:${ids.transportCc} ${TRANSPORT_CC_URI}`,
      `a=extmap:${ids.mid} ${MID_URI}`,
      `a=extmap:${ids.rid} ${RID_URI}`,
      `a=rtcp-fb:${payloadType} transport-cc`,
      `a=rtcp-fb:${payloadType} ccm fir`,
      ...this.rids.map((rid) => `a=rid:${rid} send`),
      `a=simulcast:send ${this.rids.join(';')}`,
    ]) {
      video.parseSdpLine(line);
    }
    this.track = this.pc.addTrack(video);
    // With one track on the connection, every packet that arrives is its (RTCP only here).
    this.track.onMessage((packet) => this.onRtcp(packet));
    const used = new Set<number>();
    this.streams = this.rids.map((rid) => {
      let ssrc: number;
      do ssrc = (Math.floor(Math.random() * 0xfffffffe) + 1) >>> 0;
      while (used.has(ssrc));
      used.add(ssrc);
      return new Vp8RtpStream(ssrc, payloadType, this.mid, rid, ids);
    });
    this.history = this.rids.map(() => new Array<Buffer | undefined>(HISTORY));
    this.active = this.rids.map(() => true);
    this.counts = this.rids.map(() => ({
      frames: 0,
      keyframes: 0,
      packets: 0,
      bytes: 0,
      keyframeRequests: 0,
      resent: 0,
    }));
  }

  /**
   * The offer, without ICE candidates: the answerer reaches this connection through the checks it
   * sends once it has the answer's candidates (peer-reflexive). With candidates in the offer, the
   * answerer's ICE and DTLS can finish before the answer arrives here, and libdatachannel, unlike a
   * browser, then fails the handshake against a fingerprint it does not know yet ("Got a remote
   * candidate without ICE transport" when the answer comes; seen here about one time in two).
   */
  async offer(): Promise<string> {
    const sdp = await describeWhenGathered(this.pc, 'offer');
    return sdp.replace(/^a=(candidate:|end-of-candidates).*\r?\n/gm, '');
  }

  /** The server's answer. */
  accept(answer: string): void {
    if (this.pc.signalingState() !== 'have-local-offer') return;
    this.pc.setRemoteDescription(answer, 'answer');
  }

  get isOpen(): boolean {
    return this.track.isOpen();
  }

  /** Each layer's SSRC, low to high. */
  get ssrcs(): number[] {
    return this.streams.map((stream) => stream.ssrc);
  }

  /** Which layers are sent (Huddle's layersActive: nobody receives the others); a paused layer's frames are dropped. */
  setActive(active: readonly boolean[]): void {
    this.active = this.rids.map((_, i) => active[i] ?? true);
  }

  isActive(layer: number): boolean {
    return this.active[layer] ?? false;
  }

  /** Called with the layer a receiver asked a keyframe of (PLI or FIR on its SSRC). */
  onKeyframeRequest(listener: (layer: number) => void): void {
    this.keyframeListeners.push(listener);
  }

  /**
   * Sends one frame of one layer, captured at `captureMs` (performance.now() time, which sets its
   * RTP timestamp). Returns the packets sent: none before the connection is open, nor for a
   * layer that is not active.
   */
  send(frame: LayerFrame, captureMs = performance.now()): number {
    const stream = this.streams[frame.layer];
    if (!stream || !this.active[frame.layer] || !this.track.isOpen()) return 0;
    const counts = this.counts[frame.layer]!;
    counts.frames++;
    if (frame.keyframe) counts.keyframes++;
    let sent = 0;
    for (const packet of stream.packetize(frame, captureMs, () => this.transportSequence++)) {
      this.history[frame.layer]![packet.readUInt16BE(2) % HISTORY] = packet;
      if (!this.write(packet)) continue;
      sent++;
      counts.packets++;
      counts.bytes += packet.length;
    }
    return sent;
  }

  private write(packet: Buffer): boolean {
    try {
      return this.track.sendMessageBinary(packet);
    } catch {
      return false; // closed under us
    }
  }

  private onRtcp(packet: Buffer): void {
    if (packet.length < 8 || packet[1]! < 192 || packet[1]! > 223) return;
    for (const feedback of readFeedback(packet)) this.onFeedback(feedback);
  }

  private layerOf(ssrc: number): number {
    return this.streams.findIndex((stream) => stream.ssrc === ssrc);
  }

  private onFeedback(feedback: Feedback): void {
    if (feedback.type === 'pli' || feedback.type === 'fir') {
      const ssrcs = feedback.type === 'pli' ? [feedback.mediaSsrc] : feedback.mediaSsrcs;
      for (const ssrc of ssrcs) {
        const layer = this.layerOf(ssrc);
        if (layer < 0) continue;
        this.counts[layer]!.keyframeRequests++;
        for (const listener of this.keyframeListeners) listener(layer);
      }
    } else if (feedback.type === 'nack') {
      const layer = this.layerOf(feedback.mediaSsrc);
      if (layer >= 0) for (const sequence of feedback.sequences) this.resend(layer, sequence);
    } else {
      // The receiver knows these streams: their packets need not name mid and rid any more.
      for (const ssrc of feedback.ssrcs) {
        const layer = this.layerOf(ssrc);
        if (layer >= 0) this.streams[layer]!.announce = false;
      }
    }
  }

  private resend(layer: number, sequence: number): void {
    const original = this.history[layer]![sequence % HISTORY];
    if (!original || original.readUInt16BE(2) !== sequence || !this.track.isOpen()) return;
    // A resend is a new packet on the wire: a new transport-wide sequence number, when it has one.
    const packet = Buffer.from(original);
    if ((packet[0]! & 0x10) !== 0 && packet.readUInt16BE(12) === 0xbede) {
      packet.writeUInt16BE(this.transportSequence++ & 0xffff, 12 + 5);
    }
    if (this.write(packet)) this.counts[layer]!.resent++;
  }

  close(): void {
    try {
      this.track.close();
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
