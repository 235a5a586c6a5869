/**
 * ICE servers handed to clients with their token. With a TURN shared secret (coturn's
 * `use-auth-secret`, the "TURN REST API" scheme), each client gets short-lived credentials:
 * username = "<expiry unix time>:<identity>", password = base64(HMAC-SHA1(secret, username)).
 * The secret itself never leaves the server.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../protocol/http.js';

export interface IceSettings {
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | undefined;
  turnTtlSeconds: number;
  /** 'relay' makes clients use TURN only (tests, or networks where nothing else works). */
  transportPolicy: 'all' | 'relay';
}

export function turnCredentials(
  secret: string,
  identity: string,
  expiresAt: number,
): { username: string; credential: string } {
  const username = `${expiresAt}:${identity}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export function iceServersFor(
  settings: IceSettings,
  identity: string,
  now = Math.floor(Date.now() / 1000),
): IceServer[] {
  const servers: IceServer[] = [];
  if (settings.stunUrls.length > 0) servers.push({ urls: settings.stunUrls });
  if (settings.turnUrls.length > 0 && settings.turnSecret) {
    servers.push({
      urls: settings.turnUrls,
      ...turnCredentials(settings.turnSecret, identity, now + settings.turnTtlSeconds),
    });
  }
  return servers;
}
