/**
 * The RFC 6464 client-to-mixer audio level, read from an RTP packet's one-byte header
 * extensions (RFC 8285). The SFU offers the extension as id AUDIO_LEVEL_EXTENSION_ID.
 */
export const AUDIO_LEVEL_EXTENSION_ID = 1;
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** Loudness 0 (silence, -127 dBov) to 127 (0 dBov), or -1 when the packet carries no level. */
export function audioLoudness(packet: Buffer, id = AUDIO_LEVEL_EXTENSION_ID): number {
  if (packet.length < 12 || (packet[0]! & 0x10) === 0) return -1;
  let offset = 12 + 4 * (packet[0]! & 0x0f);
  if (packet.length < offset + 4 || packet.readUInt16BE(offset) !== 0xbede) return -1;
  const end = offset + 4 + 4 * packet.readUInt16BE(offset + 2);
  offset += 4;
  while (offset < end && offset < packet.length) {
    const header = packet[offset]!;
    if (header === 0) {
      offset++; // padding
      continue;
    }
    const elementId = header >> 4;
    const length = (header & 0x0f) + 1;
    if (elementId === 15) return -1;
    if (elementId === id) {
      const level = packet[offset + 1];
      return level === undefined ? -1 : 127 - (level & 0x7f);
    }
    offset += 1 + length;
  }
  return -1;
}
