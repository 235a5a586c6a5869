/**
 * What every token endpoint shares: who mints, the limits, reading a JSON body sent with any
 * content type, and the one name rule for identities and rooms.
 */
import type { onRequestHookHandler } from 'fastify';
import { HuddleError } from '../../protocol/errors.js';
import type { BackendKind } from '../../protocol/http.js';
import { NameSchema } from '../../protocol/names.js';
import type { IceSettings } from '../turn.js';

export const LOGIN_BODY_LIMIT = 16 * 1024;

/** Mints an access token for the backend in use (Huddle's own key, or the Twilio library). */
export type TokenMinter = (grant: {
  identity: string;
  /** Undefined grants any room (Twilio's sample token servers mint such tokens). */
  room: string | undefined;
  ttlSeconds: number;
  now: number;
}) => Promise<string>;

export interface TokenRouteOptions {
  backend: BackendKind;
  mint: TokenMinter;
  tokenTtlSeconds: number;
  rateLimitPerMinute: number;
  ice: IceSettings | undefined;
  /** Whether a page on this (other) origin may read the answers (CORS). */
  crossOrigins: (origin: string) => boolean;
  /** Refuses pages on origins not allowed to mint tokens. */
  originGuard: onRequestHookHandler;
  /** Also serve the token endpoints of Twilio's sample servers (HUDDLE_SAMPLE_TOKEN_ENDPOINTS). */
  sampleTokenEndpoints: boolean;
}

const absent = (v: unknown) => v === undefined || v === null || v === '';

/** A body read as text (whatever its content type) and parsed as a JSON object; empty is {}. */
export function readJsonObject(raw: unknown, shape: string): Record<string, unknown> {
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new HuddleError('INVALID_BODY', `The body must be JSON: ${shape}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HuddleError('INVALID_BODY', 'The body must be a JSON object');
  }
  return data as Record<string, unknown>;
}

/** The identity a name asks for, with the one name rule; a missing or blank name is USERNAME_REQUIRED. */
export function identityFrom(field: string, value: unknown): string {
  if (absent(value) || (typeof value === 'string' && value.trim() === '')) {
    throw new HuddleError('USERNAME_REQUIRED', 'Enter your name before connecting');
  }
  return checkName(field, value);
}

/** The room a request names, with the one name rule; absent is `fallback`. */
export function roomFrom<F extends string | undefined>(field: string, value: unknown, fallback: F): string | F {
  return absent(value) ? fallback : checkName(field, value);
}

export function checkName(field: string, value: unknown): string {
  const result = NameSchema.safeParse(value);
  if (result.success) return result.data;
  if (typeof value !== 'string') throw new HuddleError('NAME_INVALID', `${field} must be a string`);
  throw new HuddleError('NAME_INVALID', `${field} ${result.error.issues[0]?.message ?? 'is invalid'}`);
}
