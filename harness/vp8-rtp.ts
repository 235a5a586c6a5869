/**
 * VP8 frames into RTP packets as a browser sends them (RFC 7741 payload descriptor, RFC 8285
 * one-byte header extensions), one `Vp8RtpStream` per simulcast layer: its own SSRC, sequence
 * numbers, random timestamp base, 15-bit picture IDs and TL0PICIDX, as libwebrtc numbers each
 * simulcast stream on its own. Written here rather than taken from the server's code, so the
 * synthetic clients check the server instead of agreeing with it.
 */

/** Header extension ids, as the connection's SDP maps them (Chrome's own numbering by default). */
export interface RtpExtensionIds {
  transportCc: number;
  mid: number;
  rid: number;
}

export const CHROME_EXTENSION_IDS: RtpExtensionIds = { transportCc: 3, mid: 4, rid: 10 };

/** One encoded picture of one layer. */
export interface LayerFrame {
  /** 0 for the lowest layer. */
  layer: number;
  keyframe: boolean;
  /** The VP8 frame (RFC 6386): frame tag first; a keyframe's start code and size follow it. */
  data: Buffer;
  /** Its picture size, when the source knows it (informative: the size a receiver reads is in the keyframe). */
  width?: number;
  height?: number;
  /** Temporal layer (0–2; L1T3 sends 0, 2, 1, 2, …); 0 when absent. */
  temporalId?: number;
}

/** Largest RTP packet written (Chrome keeps under about 1,200 bytes). */
export const MAX_PACKET_BYTES = 1200;
const VP8_DESCRIPTOR_BYTES = 6;
const VIDEO_CLOCK_PER_MS = 90;

const random32 = () => Math.floor(Math.random() * 0x100000000) >>> 0;

export class Vp8RtpStream {
  private sequence = Math.floor(Math.random() * 0x10000);
  private readonly timestampBase = random32();
  private pictureId = Math.floor(Math.random() * 0x8000);
  private tl0PicIdx = Math.floor(Math.random() * 0x100);
  /** Whether packets still name their mid and rid (until the receiver acknowledges the stream, as Chrome does). */
  announce = true;

  constructor(
    readonly ssrc: number,
    readonly payloadType: number,
    private readonly mid: string,
    private readonly rid: string,
    private readonly ids: RtpExtensionIds,
  ) {}

  /**
   * The packets of one frame, captured at `captureMs` (performance.now() time), each with a
   * transport-wide sequence number from `nextTransportSequence`. The last has the marker bit.
   */
  packetize(frame: LayerFrame, captureMs: number, nextTransportSequence: () => number): Buffer[] {
    const temporalId = frame.keyframe ? 0 : (frame.temporalId ?? 0);
    if (temporalId === 0) this.tl0PicIdx = (this.tl0PicIdx + 1) & 0xff;
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    const timestamp = (this.timestampBase + Math.round(captureMs * VIDEO_CLOCK_PER_MS)) >>> 0;
    const extensions = this.extensionBlock();
    const room = MAX_PACKET_BYTES - 12 - extensions.length - VP8_DESCRIPTOR_BYTES;
    const count = Math.max(1, Math.ceil(frame.data.length / room));
    // Even shares, as libwebrtc splits a frame, rather than full packets and a short tail.
    const share = Math.ceil(frame.data.length / count);
    const packets: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const chunk = frame.data.subarray(i * share, Math.min(frame.data.length, (i + 1) * share));
      const packet = Buffer.allocUnsafe(12 + extensions.length + VP8_DESCRIPTOR_BYTES + chunk.length);
      packet[0] = extensions.length > 0 ? 0x90 : 0x80;
      packet[1] = (i === count - 1 ? 0x80 : 0) | this.payloadType;
      packet.writeUInt16BE(this.sequence, 2);
      this.sequence = (this.sequence + 1) & 0xffff;
      packet.writeUInt32BE(timestamp, 4);
      packet.writeUInt32BE(this.ssrc, 8);
      extensions.copy(packet, 12);
      if (extensions.length > 0) packet.writeUInt16BE(nextTransportSequence() & 0xffff, 12 + 5);
      let at = 12 + extensions.length;
      // X (extensions follow), S on the first packet of the frame, partition 0.
      packet[at++] = 0x80 | (i === 0 ? 0x10 : 0);
      packet[at++] = 0x80 | 0x40 | 0x20; // I (picture ID), L (TL0PICIDX), T (TID)
      packet.writeUInt16BE(0x8000 | this.pictureId, at); // M: 15-bit picture ID
      at += 2;
      packet[at++] = this.tl0PicIdx;
      // TID, Y (a frame of layer 0, or any keyframe, is a sync point), KEYIDX 0
      packet[at++] = (temporalId << 6) | (temporalId === 0 ? 0x20 : 0);
      chunk.copy(packet, at);
      packets.push(packet);
    }
    return packets;
  }

  /** transport-cc (its value written per packet), then mid and rid while they are announced. */
  private extensionBlock(): Buffer {
    const elements: Buffer[] = [Buffer.from([(this.ids.transportCc << 4) | 1, 0, 0])];
    if (this.announce) {
      for (const [id, value] of [
        [this.ids.mid, this.mid],
        [this.ids.rid, this.rid],
      ] as const) {
        const text = Buffer.from(value, 'latin1');
        elements.push(Buffer.concat([Buffer.from([(id << 4) | (text.length - 1)]), text]));
      }
    }
    const body = Buffer.concat(elements);
    const words = Math.ceil(body.length / 4);
    const block = Buffer.alloc(4 + words * 4);
    block.writeUInt16BE(0xbede, 0);
    block.writeUInt16BE(words, 2);
    body.copy(block, 4);
    return block;
  }
}

/**
 * A VP8 frame of `bytes` bytes that decoders would reject but every SFU reads as VP8: a valid
 * frame tag (RFC 6386 §9.1), and for a keyframe the start code 9d 01 2a and the picture size.
 * For synthetic sources; a real encoder's frames go to LayeredPublisher as they are.
 */
export function syntheticVp8Frame(keyframe: boolean, width: number, height: number, bytes: number): Buffer {
  const frame = Buffer.alloc(Math.max(bytes, keyframe ? 10 : 3));
  const firstPartition = Math.min(frame.length - (keyframe ? 10 : 3), 0x7ffff);
  // frame tag: bit 0 = not a keyframe, version 0, show_frame, first partition size
  const tag = (firstPartition << 5) | 0x10 | (keyframe ? 0 : 1);
  frame[0] = tag & 0xff;
  frame[1] = (tag >> 8) & 0xff;
  frame[2] = (tag >> 16) & 0xff;
  if (keyframe) {
    frame[3] = 0x9d;
    frame[4] = 0x01;
    frame[5] = 0x2a;
    frame.writeUInt16LE(width & 0x3fff, 6);
    frame.writeUInt16LE(height & 0x3fff, 8);
  }
  return frame;
}

/** The picture size a VP8 keyframe's header gives (RFC 6386 §9.1), or undefined for anything else. */
export function vp8KeyframeSize(frame: Buffer): { width: number; height: number } | undefined {
  if (frame.length < 10 || (frame[0]! & 0x01) !== 0) return undefined;
  if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return undefined;
  return { width: frame.readUInt16LE(6) & 0x3fff, height: frame.readUInt16LE(8) & 0x3fff };
}
