/**
 * Twilio-shaped identifiers: a two-letter kind prefix and 32 hex digits. Minted here only, with
 * the Web Crypto random source both Node and browsers have.
 */
export type SidPrefix = 'RM' | 'PA' | 'MT' | 'AC' | 'SK';

export function newSid(prefix: SidPrefix): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const PARTICIPANT_SID = /^PA[0-9a-f]{32}$/;
