/**
 * Just enough RTP and VP8 parsing to tell whether a packet starts a keyframe (RFC 3550 header,
 * RFC 7741 payload descriptor, RFC 6386 frame tag). A subscriber can decode nothing before one.
 */
export function rtpPayloadOffset(packet: Buffer): number {
  if (packet.length < 12) return -1;
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return -1;
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  return offset < packet.length ? offset : -1;
}

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
