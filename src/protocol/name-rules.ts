/**
 * Identities and room names, the same rules on every path (POST /login, the token's identity, a
 * join's room): any Unicode text a person can read, 1 to 128 characters (code points, as people
 * count), in one canonical form so that "Alice", " Alice " and a decomposed "Alicé" cannot be
 * three different people in one room.
 */
export const MAX_NAME_LENGTH = 128;
export const DEFAULT_ROOM = 'My Room';

export function nameLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * What a name may not contain: C0/C1 controls (newlines, NUL, ESC would forge log lines and
 * break layouts), bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069: a name that
 * reverses the text after it), and line or paragraph separators (U+2028/2029).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
/** A surrogate half without its other half: not text at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** At least one character that shows: not only spaces, zero-width or other format characters, or marks. */
const VISIBLE = /[^\p{Z}\p{Cc}\p{Cf}\p{M}]/u;

/** The canonical form: NFC, no spaces at either end, runs of spaces as one. */
export function normalizeName(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** Why a name is refused, or undefined when it is fine (as given, before normalizing). */
export function nameProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must be text (it has a broken surrogate pair)';
  if (FORBIDDEN.test(value)) return 'must not contain control, direction-override or line-separator characters';
  const name = normalizeName(value);
  if (name.length === 0 || !VISIBLE.test(name)) return 'must not be blank';
  if (nameLength(name) > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  return undefined;
}

/**
 * Why an identity in an access token is refused: the name rules, and the canonical form (a token
 * minted by /login always has it; one minted elsewhere with stray spaces would otherwise be a
 * second "Alice" in the room).
 */
export function identityProblem(identity: string): string | undefined {
  const problem = nameProblem(identity);
  if (problem) return `The identity ${problem}`;
  if (normalizeName(identity) !== identity) return 'The identity must not start or end with spaces, or repeat them';
  return undefined;
}
