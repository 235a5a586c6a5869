/**
 * What one subscriber receives of a video sent in simulcast layers: one layer at a time, switched
 * only at a keyframe of the layer it goes to (before that the receiver could decode nothing), and
 * rewritten so that the receiver sees one continuous stream across switches. Each layer numbers
 * its packets, timestamps and pictures on its own; a receiver that saw them jump would take it for
 * loss (and ask for what never existed) or for a clock gone wrong. So the layer's sequence
 * number, timestamp, VP8 picture ID, TL0PICIDX and KEYIDX each get an offset, set at the switch.
 *
 * Padding-only packets (the publisher's bandwidth probes) are dropped, and the sequence numbers
 * after them moved down to close the gap, so the subscriber's link carries only pictures.
 */
import { type Vp8Descriptor, writeVp8Descriptor } from '../rtp/vp8.js';

/** What the publication read of a packet, once, for every subscriber. */
export interface LayerPacket {
  layer: number;
  sequence: number;
  timestamp: number;
  /** Undefined for a packet with no payload (padding). */
  vp8: Vp8Descriptor | undefined;
}

/** A switch is this young (packets) while late packets of the layer from before it may still come. */
const FRESH_SWITCH_PACKETS = 0x1000;
/** How many packets sent are remembered, for retransmissions (by outgoing sequence number). */
const SENT_SLOTS = 1024;
const VIDEO_CLOCK_PER_MS = 90;

export class LayerSwitcher {
  /** The layer wanted (set by the subscriber's allocator); -1: none, the video is paused. */
  target = 0;
  private current = -1;
  private sequenceOffset = 0;
  private timestampOffset = 0;
  private pictureOffset = 0;
  private tl0Offset = 0;
  private keyIdxOffset = 0;
  /**
   * The newest packet sent, as the subscriber saw it (`sent` false before the first). Updated in
   * place: this runs for every packet to every subscriber.
   */
  private readonly last = { sent: false, sequence: 0, timestamp: 0, pictureId: 0, tl0: 0, keyIdx: 0, atMs: 0 };
  /** The highest sequence number of the current layer taken, and the one the switch began at. */
  private highestIn = 0;
  private switchedAt = 0;
  private fresh = false;
  /** Switches made, for measurements. */
  switches = 0;
  /** What was sent, by outgoing sequence number modulo SENT_SLOTS: the layer's packet and how it was numbered. */
  private readonly sentSequence = new Int32Array(SENT_SLOTS).fill(-1);
  private readonly sentLayer = new Uint8Array(SENT_SLOTS);
  private readonly sentIn = new Uint16Array(SENT_SLOTS);
  private readonly sentTimestamp = new Uint32Array(SENT_SLOTS);
  private readonly sentPicture = new Uint16Array(SENT_SLOTS);
  private readonly sentTl0 = new Uint8Array(SENT_SLOTS);
  private readonly sentKeyIdx = new Uint8Array(SENT_SLOTS);

  /** The layer being sent; -1 before the first keyframe, and while paused. */
  get layer(): number {
    return this.current;
  }

  /** Waiting for a keyframe of the target layer. */
  get wantsKeyframe(): boolean {
    return this.target >= 0 && this.target !== this.current;
  }

  /** The offset that maps the current layer's RTP timestamps to what the subscriber sees (its sender reports). */
  get rtpTimestampOffset(): number {
    return this.timestampOffset;
  }

  /** How the packet the subscriber knows by this sequence number was sent, if it is still remembered. */
  sentAs(
    sequence: number,
  ):
    | { layer: number; sequence: number; timestamp: number; pictureId: number; tl0: number; keyIdx: number }
    | undefined {
    const slot = sequence % SENT_SLOTS;
    if (this.sentSequence[slot] !== sequence) return undefined;
    return {
      layer: this.sentLayer[slot]!,
      sequence: this.sentIn[slot]!,
      timestamp: this.sentTimestamp[slot]!,
      pictureId: this.sentPicture[slot]!,
      tl0: this.sentTl0[slot]!,
      keyIdx: this.sentKeyIdx[slot]!,
    };
  }

  /** The publisher's stream restarted (unmuted): nothing more until a keyframe. */
  reset(): void {
    this.current = -1;
  }

  /**
   * Whether this packet goes to the subscriber; if it does, its header and VP8 descriptor are
   * rewritten in place (the caller writes the SSRC).
   */
  take(packet: Buffer, p: LayerPacket, nowMs: number): boolean {
    if (this.target < 0) {
      this.current = -1;
      return false;
    }
    if (p.layer !== this.current) {
      if (p.layer !== this.target || !p.vp8?.keyframe) return false;
      this.switchTo(p, nowMs);
    } else {
      const ahead = (p.sequence - this.highestIn) & 0xffff;
      if (ahead === 0 || ahead >= 0x8000) {
        // A late (or repeated) packet: one from before the switch belongs to the old numbering.
        if (this.fresh && ((p.sequence - this.switchedAt) & 0xffff) >= 0x8000) return false;
      } else {
        this.highestIn = p.sequence;
        if (this.fresh && ((p.sequence - this.switchedAt) & 0xffff) > FRESH_SWITCH_PACKETS) this.fresh = false;
        if (!p.vp8 && ahead === 1) {
          // The next packet in order is padding: drop it, and the next one takes its number.
          this.sequenceOffset = (this.sequenceOffset - 1) & 0xffff;
          return false;
        }
      }
    }
    const sequence = (p.sequence + this.sequenceOffset) & 0xffff;
    const timestamp = (p.timestamp + this.timestampOffset) >>> 0;
    const pictureId = p.vp8 ? (p.vp8.pictureId + this.pictureOffset) & 0x7fff : 0;
    const tl0 = p.vp8 ? (p.vp8.tl0PicIdx + this.tl0Offset) & 0xff : 0;
    const keyIdx = p.vp8 ? (p.vp8.keyIdx + this.keyIdxOffset) & 0x1f : 0;
    packet.writeUInt16BE(sequence, 2);
    packet.writeUInt32BE(timestamp, 4);
    if (p.vp8) writeVp8Descriptor(packet, p.vp8, pictureId, tl0, keyIdx);
    const slot = sequence % SENT_SLOTS;
    this.sentSequence[slot] = sequence;
    this.sentLayer[slot] = p.layer;
    this.sentIn[slot] = p.sequence;
    this.sentTimestamp[slot] = timestamp;
    this.sentPicture[slot] = pictureId;
    this.sentTl0[slot] = tl0;
    this.sentKeyIdx[slot] = keyIdx;
    const last = this.last;
    if (!last.sent || ((sequence - last.sequence) & 0xffff) < 0x8000) {
      last.sent = true;
      last.sequence = sequence;
      last.timestamp = timestamp;
      if (p.vp8) {
        last.pictureId = pictureId;
        last.tl0 = tl0;
        last.keyIdx = keyIdx;
      }
      last.atMs = nowMs;
    }
    return true;
  }

  /** Starts sending layer `p.layer` at this keyframe, continuing the numbering the subscriber has. */
  private switchTo(p: LayerPacket, nowMs: number): void {
    const vp8 = p.vp8!;
    this.current = p.layer;
    this.highestIn = p.sequence;
    this.switchedAt = p.sequence;
    this.fresh = true;
    this.switches++;
    const last = this.last;
    if (!last.sent) {
      this.sequenceOffset = 0;
      this.timestampOffset = 0;
      this.pictureOffset = 0;
      this.tl0Offset = 0;
      this.keyIdxOffset = 0;
      return;
    }
    // The new layer's first picture follows the last one sent by the time that has passed.
    const elapsed = Math.max(1, Math.round((nowMs - last.atMs) * VIDEO_CLOCK_PER_MS));
    this.sequenceOffset = (last.sequence + 1 - p.sequence) & 0xffff;
    this.timestampOffset = (last.timestamp + elapsed - p.timestamp) >>> 0;
    this.pictureOffset = (last.pictureId + 1 - vp8.pictureId) & 0x7fff;
    this.tl0Offset = (last.tl0 + 1 - vp8.tl0PicIdx) & 0xff;
    // KEYIDX changes at each keyframe a temporal layer sync depends on: the new layer's keyframe is one.
    this.keyIdxOffset = (last.keyIdx + 1 - vp8.keyIdx) & 0x1f;
  }
}
