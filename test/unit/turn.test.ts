import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { iceServersFor, turnCredentials } from '../../src/server/turn';
import { buildTestApp } from '../helpers/in-process';

const SECRET = 'coturn-static-auth-secret';

/** The scheme computed by another tool: base64(HMAC-SHA1(secret, username)), via openssl. */
function opensslHmac(secret: string, message: string): string {
  const result = spawnSync('sh', ['-c', 'printf %s "$MSG" | openssl dgst -sha1 -hmac "$KEY" -binary | base64'], {
    env: { ...process.env, MSG: message, KEY: secret },
    encoding: 'utf8',
  });
  return result.stdout.trim();
}

describe('TURN credentials (coturn use-auth-secret)', () => {
  it('are "<expiry>:<identity>" with the documented HMAC-SHA1 password', () => {
    const { username, credential } = turnCredentials(SECRET, 'Zoë 🎥', 1_900_000_000);
    expect(username).toBe('1900000000:Zoë 🎥');
    expect(credential).toBe(opensslHmac(SECRET, username));
  });

  it('expire the configured time after they are handed out', () => {
    const settings = {
      stunUrls: ['stun:stun.example:3478'],
      turnUrls: ['turn:turn.example:3478?transport=udp'],
      turnSecret: SECRET,
      turnTtlSeconds: 600,
      transportPolicy: 'all' as const,
    };
    const [stun, turn] = iceServersFor(settings, 'Alice', 1_800_000_000);
    expect(stun).toEqual({ urls: ['stun:stun.example:3478'] });
    expect(turn!.urls).toEqual(['turn:turn.example:3478?transport=udp']);
    expect(Number(turn!.username!.split(':')[0])).toBe(1_800_000_600);
    expect(iceServersFor({ ...settings, turnSecret: undefined, stunUrls: [] }, 'Alice')).toEqual([]);
  });
});

describe('/login with TURN configured', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp({
      HUDDLE_TURN_URLS: 'turn:127.0.0.1:3478?transport=udp, turn:127.0.0.1:3478?transport=tcp',
      HUDDLE_TURN_SECRET: SECRET,
      HUDDLE_ICE_TRANSPORT_POLICY: 'relay',
    }));
  });
  afterAll(() => app.close());

  it('hands each client its own short-lived TURN credentials, never the secret', async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await app.inject({ method: 'POST', url: '/login', payload: '{"username":"Alice"}' });
    const body = response.json();
    expect(body.iceTransportPolicy).toBe('relay');
    expect(body.iceServers).toHaveLength(1);
    const [server] = body.iceServers;
    expect(server.urls).toEqual(['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp']);
    const [expiry, identity] = server.username.split(':');
    expect(identity).toBe('Alice');
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 86400);
    expect(server.credential).toBe(opensslHmac(SECRET, server.username));
    expect(response.body).not.toContain(SECRET);
  });
});

describe('reach settings', () => {
  it('HTTPS from --https or HUDDLE_HTTPS, proxies trusted only when told', () => {
    expect(loadConfig({}).https.enabled).toBe(false);
    expect(loadConfig({}, ['--https']).https.enabled).toBe(true);
    expect(loadConfig({ HUDDLE_HTTPS: '1' }).https.enabled).toBe(true);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ HUDDLE_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ HUDDLE_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ HUDDLE_TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8');
  });
});
