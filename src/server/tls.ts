/**
 * HTTPS for the LAN: browsers open the camera only on https:// or localhost, so a phone on the
 * Wi-Fi needs HTTPS. Uses the certificate and key you give, or generates a self-signed one for
 * localhost and this machine's addresses and keeps it in the data folder (key mode 0600);
 * a new one is made when the machine's addresses change.
 */

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { HuddleError } from '../protocol/errors.js';

export interface TlsFiles {
  cert: string;
  key: string;
  source: 'given' | 'stored' | 'generated';
  file?: string;
}

export async function loadOrCreateTls(options: {
  certFile?: string;
  keyFile?: string;
  dataDir: string;
  addresses: string[];
}): Promise<TlsFiles> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile)
      throw new HuddleError('CONFIG_INVALID', 'Set both HUDDLE_TLS_CERT and HUDDLE_TLS_KEY, or neither');
    return {
      cert: readFileSync(options.certFile, 'utf8'),
      key: readFileSync(options.keyFile, 'utf8'),
      source: 'given',
    };
  }
  const dir = join(options.dataDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const namesFile = join(dir, 'names.json');
  const names = ['localhost', '127.0.0.1', ...options.addresses];
  if (
    existsSync(certFile) &&
    existsSync(keyFile) &&
    existsSync(namesFile) &&
    readFileSync(namesFile, 'utf8') === JSON.stringify(names)
  ) {
    return {
      cert: readFileSync(certFile, 'utf8'),
      key: readFileSync(keyFile, 'utf8'),
      source: 'stored',
      file: certFile,
    };
  }
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'Huddle (self-signed)' }], {
    keyType: 'ec',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
      },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(certFile, pems.cert);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(namesFile, JSON.stringify(names));
  return { cert: pems.cert, key: pems.private, source: 'generated', file: certFile };
}
