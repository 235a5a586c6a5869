import { createHash, randomInt } from 'node:crypto';

/**
 * A track's SID follows from its participant's: when a participant comes back after a media
 * restart with the same SID, everyone else sees the same tracks again rather than new ones.
 */
export const trackSid = (participantSid: string, kind: string): string =>
  `MT${createHash('sha256').update(`${participantSid}:${kind}`).digest('hex').slice(0, 32)}`;

/** A random non-zero 32-bit RTP synchronisation source. */
export const newSsrc = (): number => randomInt(1, 0xffffffff);
