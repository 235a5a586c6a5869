import { z } from 'zod';

/** Identities and room names: any Unicode text, 1 to 128 characters (code points, as people count). */
export const MAX_NAME_LENGTH = 128;
export const DEFAULT_ROOM = 'My Room';

export function nameLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * Control characters (newlines, NUL, bidi overrides are allowed as text but C0/C1 controls are not)
 * would let a name forge log lines or break layouts, so they are refused.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const NameSchema = z
  .string()
  .refine((v) => v.trim().length > 0, { message: 'must not be blank' })
  .refine((v) => nameLength(v) <= MAX_NAME_LENGTH, { message: `must be at most ${MAX_NAME_LENGTH} characters` })
  .refine((v) => !CONTROL.test(v), { message: 'must not contain control characters' });
