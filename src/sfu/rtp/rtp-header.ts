/**
 * Reading the fixed RTP header (RFC 3550 §5.1) and its header extensions (RFC 8285, one-byte and
 * two-byte forms) in place, without copying: the forwarding path runs this once per packet.
 */

export const rtpSequence = (packet: Buffer): number => packet.readUInt16BE(2);
export const rtpTimestamp = (packet: Buffer): number => packet.readUInt32BE(4);
export const rtpSsrc = (packet: Buffer): number => packet.readUInt32BE(8);
export const rtpPayloadType = (packet: Buffer): number => packet[1]! & 0x7f;
export const rtpMarker = (packet: Buffer): boolean => (packet[1]! & 0x80) !== 0;

/** Byte 1 of an RTCP packet holds its type, 192–223 for the types RTP never uses (RFC 5761). */
export function isRtcp(packet: Buffer): boolean {
  return packet.length >= 2 && packet[1]! >= 192 && packet[1]! <= 223;
}

/** A well-formed RTP packet: version 2, a whole header. */
export function isRtp(packet: Buffer): boolean {
  return packet.length >= 12 && packet[0]! >> 6 === 2 && !isRtcp(packet);
}

/** Where the payload starts, after CSRCs and extensions; -1 when the header is truncated. */
export function rtpPayloadOffset(packet: Buffer): number {
  if (packet.length < 12) return -1;
  let offset = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return -1;
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  return offset <= packet.length ? offset : -1;
}

/**
 * The offset and length of header extension element `id`, or -1 when absent. Handles the
 * one-byte (0xBEDE) and two-byte (0x100x) profiles.
 */
export function findExtension(packet: Buffer, id: number): { offset: number; length: number } | -1 {
  if (packet.length < 12 || (packet[0]! & 0x10) === 0) return -1;
  let offset = 12 + 4 * (packet[0]! & 0x0f);
  if (packet.length < offset + 4) return -1;
  const profile = packet.readUInt16BE(offset);
  const end = Math.min(packet.length, offset + 4 + 4 * packet.readUInt16BE(offset + 2));
  offset += 4;
  const oneByte = profile === 0xbede;
  if (!oneByte && (profile & 0xfff0) !== 0x1000) return -1;
  while (offset < end) {
    const first = packet[offset]!;
    if (first === 0) {
      offset++; // padding
      continue;
    }
    let elementId: number;
    let length: number;
    if (oneByte) {
      elementId = first >> 4;
      if (elementId === 15) return -1; // "stop parsing"
      length = (first & 0x0f) + 1;
      offset += 1;
    } else {
      if (offset + 1 >= end) return -1;
      elementId = first;
      length = packet[offset + 1]!;
      offset += 2;
    }
    if (offset + length > end) return -1;
    if (elementId === id) return { offset, length };
    offset += length;
  }
  return -1;
}

/** The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01), or -1. */
export function transportSequence(packet: Buffer, id: number): number {
  const element = findExtension(packet, id);
  if (element === -1 || element.length < 2) return -1;
  return packet.readUInt16BE(element.offset);
}

/**
 * Unwraps 16-bit sequence numbers into a monotonic count: the value nearest to the last one seen
 * (RFC 3550's "cycles" made explicit), so comparisons never trip over the wrap.
 */
export class SequenceUnwrapper {
  private last = -1;

  unwrap(sequence: number): number {
    if (this.last < 0) {
      this.last = sequence;
      return sequence;
    }
    const lastLow = this.last & 0xffff;
    let delta = sequence - lastLow;
    if (delta > 0x8000) delta -= 0x10000;
    else if (delta < -0x8000) delta += 0x10000;
    const value = this.last + delta;
    if (value > this.last) this.last = value;
    return value;
  }
}
