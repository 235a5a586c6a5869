import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import AccessToken from 'twilio/lib/jwt/AccessToken.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logging/logger';
import { buildApp } from '../../src/server/app';
import { chooseBackend } from '../../src/server/backend';
import { loadConfig } from '../../src/server/config';
import { mintAccessToken, verifyAccessToken } from '../../src/tokens/access-token';
import { TEST_CREDENTIALS } from '../helpers/in-process';

const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'e'.repeat(32)}`,
  TWILIO_API_KEY_SID: `SK${'f'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'the-twilio-api-key-secret',
};
const twilioCredentials = {
  accountSid: TWILIO.TWILIO_ACCOUNT_SID,
  keySid: TWILIO.TWILIO_API_KEY_SID,
  keySecret: TWILIO.TWILIO_API_KEY_SECRET,
};

function libraryToken(credentials: typeof TEST_CREDENTIALS, identity: string, room: string): string {
  const token = new AccessToken(credentials.accountSid, credentials.keySid, credentials.keySecret, {
    identity,
    ttl: 3600,
  });
  token.addGrant(new AccessToken.VideoGrant({ room }));
  return token.toJwt();
}

describe('choosing the backend', () => {
  it('is embedded without Twilio variables, Twilio with all three', () => {
    expect(chooseBackend({}).kind).toBe('embedded');
    expect(chooseBackend({ ...TWILIO })).toEqual({ kind: 'twilio', twilio: twilioCredentials });
  });

  it('refuses a partial set, naming what is missing', () => {
    expect(() => chooseBackend({ TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID })).toThrow(
      /missing: TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET$/,
    );
    expect(() => chooseBackend({ ...TWILIO, TWILIO_API_KEY_SECRET: ' ' })).toThrow(/missing: TWILIO_API_KEY_SECRET$/);
  });

  it('follows HUDDLE_BACKEND when it is set', () => {
    expect(chooseBackend({ ...TWILIO, HUDDLE_BACKEND: 'embedded' }).kind).toBe('embedded');
    expect(() => chooseBackend({ HUDDLE_BACKEND: 'twilio' })).toThrow(
      /HUDDLE_BACKEND=twilio needs .*missing: TWILIO_ACCOUNT_SID/,
    );
    expect(() => chooseBackend({ HUDDLE_BACKEND: 'jitsi' })).toThrow(/must be 'embedded' or 'twilio'/);
  });

  it('stops the start command with a plain message when the set is partial', () => {
    const result = spawnSync(process.execPath, ['dist/server/main.js'], {
      env: { PATH: process.env.PATH, PORT: '0', TWILIO_API_KEY_SID: TWILIO.TWILIO_API_KEY_SID },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Huddle cannot start: Running on Twilio needs all of');
    expect(result.stderr).toContain('missing: TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SECRET');
  });
});

describe('POST /login on the Twilio backend', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', HUDDLE_LOG_LEVEL: 'silent' });
    ({ app } = await buildApp(config, { kind: 'twilio', credentials: twilioCredentials }, createLogger('silent')));
  });
  afterAll(() => app.close());

  it('mints a Twilio token of the documented shape that verifies with the configured secret', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/login',
      payload: JSON.stringify({ username: 'Alice', room: 'Daily' }),
    });
    expect(response.statusCode).toBe(200);
    const { token, backend } = response.json();
    expect(backend).toBe('twilio');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', cty: 'twilio-fpa;v=1' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: twilioCredentials.keySid,
      sub: twilioCredentials.accountSid,
      grants: { identity: 'Alice', video: { room: 'Daily' } },
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(await verifyAccessToken(twilioCredentials, token)).toMatchObject({ identity: 'Alice', room: 'Daily' });
    expect(response.body).not.toContain(twilioCredentials.keySecret);
  });

  it('says which backend it is on, and runs no embedded signalling', async () => {
    expect((await app.inject({ method: 'GET', url: '/info' })).json()).toEqual({
      backend: 'twilio',
      version: JSON.parse(readFileSync('package.json', 'utf8')).version,
    });
    expect((await app.inject({ method: 'GET', url: '/signal' })).statusCode).toBe(404);
  });
});

describe('token compatibility with the twilio library', () => {
  afterEach(() => vi.useRealTimers());

  it("a library token made with Huddle's own key is accepted by the embedded backend", async () => {
    const token = libraryToken(TEST_CREDENTIALS, 'Alice', 'My Room');
    expect(await verifyAccessToken(TEST_CREDENTIALS, token)).toMatchObject({ identity: 'Alice', room: 'My Room' });
  });

  it("Huddle's tokens decode to the same header and claims as the library's", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T12:00:00Z'));
    const ours = await mintAccessToken(TEST_CREDENTIALS, { identity: 'Zoë 🎥', room: 'Räum' });
    const theirs = libraryToken(TEST_CREDENTIALS, 'Zoë 🎥', 'Räum');
    expect(decodeProtectedHeader(ours)).toEqual(decodeProtectedHeader(theirs));
    expect(decodeJwt(ours)).toEqual(decodeJwt(theirs));
  });
});
