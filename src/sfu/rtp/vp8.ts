/**
 * Just enough RTP and VP8 parsing to tell whether a packet starts a keyframe (RFC 3550 header,
 * RFC 7741 payload descriptor, RFC 6386 frame tag). A subscriber can decode nothing before one.
 */
import { rtpPayloadOffset } from './rtp-header.js';

export function isVp8KeyframeStart(packet: Buffer): boolean {
  let offset = rtpPayloadOffset(packet);
  if (offset < 0) return false;
  const descriptor = packet[offset++]!;
  const startOfPartition = (descriptor & 0x10) !== 0;
  const partitionId = descriptor & 0x07;
  if (!startOfPartition || partitionId !== 0) return false;
  if (descriptor & 0x80) {
    const extension = packet[offset++];
    if (extension === undefined) return false;
    if (extension & 0x80) offset += (packet[offset] ?? 0) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (extension & 0x40) offset += 1; // TL0PICIDX
    if (extension & 0x30) offset += 1; // TID / KEYIDX
  }
  const frameTag = packet[offset];
  return frameTag !== undefined && (frameTag & 0x01) === 0; // P bit clear: a key frame
}

/**
 * Where a VP8 packet's picture ID, TL0PICIDX and KEYIDX sit (RFC 7741 §4.2), for rewriting them in
 * place when a subscriber switches layers: each layer numbers its pictures on its own, and a
 * receiver that sees the numbers jump takes it for lost pictures.
 */
export interface Vp8Descriptor {
  /** Offset of the picture ID, -1 when absent. */
  pictureIdOffset: number;
  /** 7 or 15 (the M bit): the width the picture ID is written in. */
  pictureIdBits: 7 | 15;
  pictureId: number;
  /** Offset of TL0PICIDX, -1 when absent. */
  tl0Offset: number;
  tl0PicIdx: number;
  /** Offset of the byte holding KEYIDX (its low 5 bits), -1 when absent (the K bit clear). */
  keyIdxOffset: number;
  keyIdx: number;
  /** This packet starts a keyframe. */
  keyframe: boolean;
  /** Where the VP8 frame itself starts. */
  frameOffset: number;
}

export function emptyVp8Descriptor(): Vp8Descriptor {
  return {
    pictureIdOffset: -1,
    pictureIdBits: 15,
    pictureId: 0,
    tl0Offset: -1,
    tl0PicIdx: 0,
    keyIdxOffset: -1,
    keyIdx: 0,
    keyframe: false,
    frameOffset: 0,
  };
}

/**
 * Reads the descriptor of a VP8 RTP packet; undefined when it has no payload (padding) or is cut
 * short. Into `result` when given (the forwarding path reuses one object for every packet).
 */
export function readVp8Descriptor(
  packet: Buffer,
  result: Vp8Descriptor = emptyVp8Descriptor(),
): Vp8Descriptor | undefined {
  let offset = rtpPayloadOffset(packet);
  const padding = packet[0]! & 0x20 ? (packet[packet.length - 1] ?? 0) : 0;
  if (offset < 0 || offset >= packet.length - padding) return undefined;
  const first = packet[offset++]!;
  result.pictureIdOffset = -1;
  result.pictureIdBits = 15;
  result.pictureId = 0;
  result.tl0Offset = -1;
  result.tl0PicIdx = 0;
  result.keyIdxOffset = -1;
  result.keyIdx = 0;
  result.keyframe = false;
  result.frameOffset = 0;
  if (first & 0x80) {
    const extension = packet[offset++];
    if (extension === undefined) return undefined;
    if (extension & 0x80) {
      const high = packet[offset];
      if (high === undefined) return undefined;
      result.pictureIdOffset = offset;
      if (high & 0x80) {
        if (offset + 1 >= packet.length) return undefined;
        result.pictureId = packet.readUInt16BE(offset) & 0x7fff;
        offset += 2;
      } else {
        result.pictureIdBits = 7;
        result.pictureId = high & 0x7f;
        offset += 1;
      }
    }
    if (extension & 0x40) {
      if (offset >= packet.length) return undefined;
      result.tl0Offset = offset;
      result.tl0PicIdx = packet[offset++]!;
    }
    if (extension & 0x30) {
      if (offset >= packet.length) return undefined;
      if (extension & 0x10) {
        result.keyIdxOffset = offset;
        result.keyIdx = packet[offset]! & 0x1f;
      }
      offset += 1;
    }
  }
  const frameTag = packet[offset];
  result.frameOffset = offset;
  result.keyframe = (first & 0x10) !== 0 && (first & 0x07) === 0 && frameTag !== undefined && (frameTag & 0x01) === 0;
  return result;
}

/** Writes a picture ID (in the width the packet has), TL0PICIDX and KEYIDX in place, those the packet has. */
export function writeVp8Descriptor(
  packet: Buffer,
  descriptor: Vp8Descriptor,
  pictureId: number,
  tl0: number,
  keyIdx: number,
): void {
  if (descriptor.pictureIdOffset >= 0) {
    if (descriptor.pictureIdBits === 15)
      packet.writeUInt16BE(0x8000 | (pictureId & 0x7fff), descriptor.pictureIdOffset);
    else packet[descriptor.pictureIdOffset] = pictureId & 0x7f;
  }
  if (descriptor.tl0Offset >= 0) packet[descriptor.tl0Offset] = tl0 & 0xff;
  if (descriptor.keyIdxOffset >= 0)
    packet[descriptor.keyIdxOffset] = (packet[descriptor.keyIdxOffset]! & 0xe0) | (keyIdx & 0x1f);
}

/** A keyframe's picture size (RFC 6386 §9.1: after the frame tag, a start code, then 14-bit sizes). */
export function vp8KeyframeSize(
  packet: Buffer,
  descriptor: Vp8Descriptor,
): { width: number; height: number } | undefined {
  const at = descriptor.frameOffset;
  if (!descriptor.keyframe || at + 10 > packet.length) return undefined;
  if (packet[at + 3] !== 0x9d || packet[at + 4] !== 0x01 || packet[at + 5] !== 0x2a) return undefined;
  return { width: packet.readUInt16LE(at + 6) & 0x3fff, height: packet.readUInt16LE(at + 8) & 0x3fff };
}
