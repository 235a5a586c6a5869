/** The RFC 6464 client-to-mixer audio level of an RTP packet, from its header extension. */
import { AUDIO_LEVEL_EXTENSION_ID } from './extensions.js';
import { findExtension } from './rtp-header.js';

/** Loudness 0 (silence, -127 dBov) to 127 (0 dBov), or -1 when the packet carries no level. */
export function audioLoudness(packet: Buffer, id = AUDIO_LEVEL_EXTENSION_ID): number {
  const element = findExtension(packet, id);
  if (element === -1 || element.length < 1) return -1;
  return 127 - (packet[element.offset]! & 0x7f);
}
