import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { HuddleError } from '../../src/protocol/errors';
import { generateCredentials } from '../../src/server/credentials';
import { mintAccessToken, verifyAccessToken } from '../../src/tokens/access-token';

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  keySid: `SK${'b'.repeat(32)}`,
  keySecret: 'a-secret-that-never-leaves-the-server',
};
const NOW = 1_800_000_000;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HuddleError);
    return (error as HuddleError).code;
  }
  throw new Error('the token was accepted');
}

describe('access tokens in Twilio format', () => {
  it('decode to the documented shape', async () => {
    const token = await mintAccessToken(credentials, { identity: 'Alice', room: 'My Room', now: NOW });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      jti: `${credentials.keySid}-${NOW}`,
      iss: credentials.keySid,
      sub: credentials.accountSid,
      iat: NOW,
      exp: NOW + 3600,
      grants: { identity: 'Alice', video: { room: 'My Room' } },
    });
    expect(token).not.toContain(credentials.keySecret);
  });

  it('verify with the same key, giving identity, room and expiry', async () => {
    const token = await mintAccessToken(credentials, { identity: 'Zoë 🎥', room: 'Räum', now: NOW, ttlSeconds: 60 });
    expect(await verifyAccessToken(credentials, token, NOW + 30)).toEqual({
      identity: 'Zoë 🎥',
      room: 'Räum',
      expiresAt: NOW + 60,
    });
  });

  it('a grant without a room allows any room', async () => {
    const token = await mintAccessToken(credentials, { identity: 'Alice', now: NOW });
    expect((await verifyAccessToken(credentials, token, NOW)).room).toBeUndefined();
  });

  it('are refused once expired', async () => {
    const token = await mintAccessToken(credentials, { identity: 'Alice', room: 'r', now: NOW, ttlSeconds: 60 });
    expect(await refusal(verifyAccessToken(credentials, token, NOW + 61))).toBe('TOKEN_EXPIRED');
  });

  it('are refused when signed with another secret, key or account', async () => {
    const token = await mintAccessToken(credentials, { identity: 'Alice', room: 'r', now: NOW });
    expect(await refusal(verifyAccessToken({ ...credentials, keySecret: 'wrong' }, token, NOW))).toBe('TOKEN_INVALID');
    expect(await refusal(verifyAccessToken({ ...credentials, keySid: `SK${'c'.repeat(32)}` }, token, NOW))).toBe(
      'TOKEN_INVALID',
    );
    expect(await refusal(verifyAccessToken({ ...credentials, accountSid: `AC${'d'.repeat(32)}` }, token, NOW))).toBe(
      'TOKEN_INVALID',
    );
  });

  it('are refused when tampered with or not a JWT at all', async () => {
    const token = await mintAccessToken(credentials, { identity: 'Alice', room: 'r', now: NOW });
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...decodeJwt(token), grants: { identity: 'Mallory', video: { room: 'r' } } }),
    ).toString('base64url');
    expect(await refusal(verifyAccessToken(credentials, `${header}.${forged}.${signature}`, NOW))).toBe(
      'TOKEN_INVALID',
    );
    expect(await refusal(verifyAccessToken(credentials, 'not-a-token', NOW))).toBe('TOKEN_INVALID');
  });

  it('are refused without an identity or a video grant', async () => {
    const noIdentity = await mintAccessToken(credentials, { identity: '', room: 'r', now: NOW });
    expect(await refusal(verifyAccessToken(credentials, noIdentity, NOW))).toBe('TOKEN_INVALID');
    // Signed correctly, with every claim a minted token has, but these grants: mintAccessToken always adds a video grant.
    const signedWith = (grants: Record<string, unknown>) =>
      new SignJWT({ grants })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })
        .setJti(`${credentials.keySid}-${NOW}`)
        .setIssuer(credentials.keySid)
        .setSubject(credentials.accountSid)
        .setIssuedAt(NOW)
        .setExpirationTime(NOW + 3600)
        .sign(new TextEncoder().encode(credentials.keySecret));
    // The same claims with a video grant pass, so the refusals below are about the grant alone.
    expect(await verifyAccessToken(credentials, await signedWith({ identity: 'Alice', video: {} }), NOW)).toMatchObject(
      {
        identity: 'Alice',
      },
    );
    for (const grants of [{ identity: 'Alice' }, { identity: 'Alice', video: null }, { identity: 'Alice', video: 'r' }])
      expect(await refusal(verifyAccessToken(credentials, await signedWith(grants), NOW)), JSON.stringify(grants)).toBe(
        'TOKEN_INVALID',
      );
    // A video grant naming a room that is not text.
    const badRoom = await signedWith({ identity: 'Alice', video: { room: 7 } });
    expect(await refusal(verifyAccessToken(credentials, badRoom, NOW))).toBe('TOKEN_INVALID');
  });

  it('generated credentials have Twilio-shaped SIDs and a strong secret', () => {
    const generated = generateCredentials();
    expect(generated.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(generated.keySid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(Buffer.from(generated.keySecret, 'base64url').length).toBe(32);
  });
});
