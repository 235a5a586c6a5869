import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Twilio-shaped identifiers: a two-letter kind prefix and 32 hex digits. */
export type SidPrefix = 'RM' | 'PA' | 'MT';
export const newSid = (prefix: SidPrefix): string => prefix + randomBytes(16).toString('hex');
export const PARTICIPANT_SID = /^PA[0-9a-f]{32}$/;

/**
 * A track's SID follows from its participant's: when a participant comes back after a media
 * restart with the same SID, everyone else sees the same tracks again rather than new ones.
 */
export const trackSid = (participantSid: string, kind: string): string =>
  `MT${createHash('sha256').update(`${participantSid}:${kind}`).digest('hex').slice(0, 32)}`;

/** A random non-zero 32-bit RTP synchronisation source. */
export const newSsrc = (): number => randomInt(1, 0xffffffff);
