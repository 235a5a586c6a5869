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
