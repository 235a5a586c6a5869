/**
 * Real Twilio access tokens, minted by Twilio's own helper library, for the Twilio backend.
 * Loaded only in that mode: the library is large and the embedded backend never needs it.
 */
import type { ApiCredentials } from './access-token.js';

export async function mintTwilioToken(
  credentials: ApiCredentials,
  options: { identity: string; room: string | undefined; ttlSeconds: number },
): Promise<string> {
  const { default: AccessToken } = await import('twilio/lib/jwt/AccessToken.js');
  const token = new AccessToken(credentials.accountSid, credentials.keySid, credentials.keySecret, {
    identity: options.identity,
    ttl: options.ttlSeconds,
  });
  token.addGrant(new AccessToken.VideoGrant(options.room === undefined ? {} : { room: options.room }));
  return token.toJwt();
}
