import { randomBytes, randomInt } from 'node:crypto';

/** Twilio-shaped identifiers: a two-letter kind prefix and 32 hex digits. */
export type SidPrefix = 'RM' | 'PA' | 'MT';
export const newSid = (prefix: SidPrefix): string => prefix + randomBytes(16).toString('hex');

/** A random non-zero 32-bit RTP synchronisation source. */
export const newSsrc = (): number => randomInt(1, 0xffffffff);
