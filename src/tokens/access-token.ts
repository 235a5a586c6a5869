/**
 * Access tokens in Twilio's format (a JWT signed HS256 with an API key secret), so one token path
 * serves the embedded SFU and Twilio alike: a token minted here decodes to the same claims as one
 * from the `twilio` helper library's AccessToken + VideoGrant, and vice versa.
 */
import { type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { HuddleError } from '../protocol/errors.js';

export const TOKEN_CONTENT_TYPE = 'twilio-fpa;v=1';
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** Twilio's own limit on an access token's life. */
export const MAX_TOKEN_TTL_SECONDS = 86_400;
const CLOCK_SKEW_SECONDS = 60;

export interface ApiCredentials {
  /** The account SID: the token's `sub`. */
  accountSid: string;
  /** The API key SID: the token's `iss`, and the prefix of its `jti`. */
  keySid: string;
  /** The API key secret: signs tokens; never leaves the server. */
  keySecret: string;
}

export interface MintOptions {
  identity: string;
  room?: string;
  ttlSeconds?: number;
  /** Unix seconds; tests pin it. */
  now?: number;
}

export interface VerifiedToken {
  identity: string;
  /** The room the video grant names; undefined grants any room (as in Twilio). */
  room: string | undefined;
  expiresAt: number;
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function mintAccessToken(credentials: ApiCredentials, options: MintOptions): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const video = options.room === undefined ? {} : { room: options.room };
  return new SignJWT({ grants: { identity: options.identity, video } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', cty: TOKEN_CONTENT_TYPE })
    .setJti(`${credentials.keySid}-${now}`)
    .setIssuer(credentials.keySid)
    .setSubject(credentials.accountSid)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(keyOf(credentials.keySecret));
}

interface Grants {
  identity?: unknown;
  video?: { room?: unknown };
}

export async function verifyAccessToken(
  credentials: ApiCredentials,
  token: string,
  now: number = Math.floor(Date.now() / 1000),
): Promise<VerifiedToken> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyOf(credentials.keySecret), {
      algorithms: ['HS256'],
      issuer: credentials.keySid,
      subject: credentials.accountSid,
      requiredClaims: ['exp'],
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw new HuddleError('TOKEN_EXPIRED', 'The access token has expired', { cause: error });
    }
    throw new HuddleError('TOKEN_INVALID', 'The access token is invalid', { cause: error });
  }
  // Twilio caps a token's life at 24 hours; a verifier that does not is a forever key for
  // whoever once got a token (clock skew of a minute allowed both ways).
  const exp = payload.exp as number;
  if (exp > now + MAX_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS) {
    throw new HuddleError('TOKEN_INVALID', 'The access token lives longer than 24 hours');
  }
  if (payload.iat !== undefined) {
    if (payload.iat > now + CLOCK_SKEW_SECONDS)
      throw new HuddleError('TOKEN_INVALID', 'The access token is issued in the future');
    if (exp - payload.iat > MAX_TOKEN_TTL_SECONDS) {
      throw new HuddleError('TOKEN_INVALID', 'The access token lives longer than 24 hours');
    }
  }
  const grants = (payload.grants ?? {}) as Grants;
  if (typeof grants.identity !== 'string' || grants.identity.length === 0) {
    throw new HuddleError('TOKEN_INVALID', 'The access token grants no identity');
  }
  if (typeof grants.video !== 'object' || grants.video === null) {
    throw new HuddleError('TOKEN_INVALID', 'The access token has no video grant');
  }
  const room = grants.video.room;
  if (room !== undefined && typeof room !== 'string')
    throw new HuddleError('TOKEN_INVALID', 'The video grant is malformed');
  return { identity: grants.identity, room, expiresAt: exp };
}
