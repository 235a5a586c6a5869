/**
 * The API key that signs access tokens. Taken from the environment when set there; otherwise
 * generated on first start and kept in the data folder (mode 0600) so tokens survive restarts.
 */

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HuddleError } from '../protocol/errors.js';
import { newSid } from '../protocol/sids.js';
import type { ApiCredentials } from '../tokens/access-token.js';
import type { HuddleConfig } from './config.js';

export const CREDENTIALS_FILE = 'credentials.json';

export interface LoadedCredentials {
  credentials: ApiCredentials;
  source: 'environment' | 'file' | 'generated';
  file?: string;
}

export function generateCredentials(): ApiCredentials {
  return { accountSid: newSid('AC'), keySid: newSid('SK'), keySecret: randomBytes(32).toString('base64url') };
}

export function loadCredentials(config: Pick<HuddleConfig, 'credentials' | 'dataDir'>): LoadedCredentials {
  const { keySid, keySecret, accountSid } = config.credentials;
  const given = { HUDDLE_API_KEY: keySid, HUDDLE_API_SECRET: keySecret, HUDDLE_ACCOUNT: accountSid };
  const missing = Object.entries(given)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length === 0) {
    return { credentials: { keySid: keySid!, keySecret: keySecret!, accountSid: accountSid! }, source: 'environment' };
  }
  if (missing.length < 3) {
    throw new HuddleError(
      'CONFIG_INVALID',
      `Set all of HUDDLE_API_KEY, HUDDLE_API_SECRET and HUDDLE_ACCOUNT, or none; missing: ${missing.join(', ')}`,
    );
  }
  const file = join(config.dataDir, CREDENTIALS_FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<ApiCredentials>;
    if (!stored.accountSid || !stored.keySid || !stored.keySecret)
      throw new HuddleError('CONFIG_INVALID', `${file} is incomplete; delete it to generate new credentials`);
    return { credentials: stored as ApiCredentials, source: 'file', file };
  }
  const credentials = generateCredentials();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync's mode is masked by the umask
  return { credentials, source: 'generated', file };
}
