/** Debian's coturn on loopback, with the use-auth-secret scheme Huddle's TURN credentials follow. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeUdpPort } from '../../harness/server';

export const TURNSERVER = '/usr/bin/turnserver';

export interface RunningTurn {
  url: string;
  secret: string;
  process: ChildProcess;
  output: () => string;
  stop: () => void;
}

export async function startCoturn(): Promise<RunningTurn> {
  const port = await freeUdpPort();
  const secret = 'turn-secret-for-tests';
  const dir = mkdtempSync(join(tmpdir(), 'huddle-coturn-'));
  const child = spawn(TURNSERVER, [
    '-n', // no config file
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    '--min-port=50000',
    '--max-port=50999',
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=huddle.test',
    // The SFU it relays to is on loopback too; coturn refuses loopback peers unless told.
    '--allow-loopback-peers',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--no-tcp-relay',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
    '--log-file=stdout',
    '--simple-log',
    '--verbose',
  ]);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coturn did not start:\n${output}`)), 15_000);
    const check = () => {
      if (/listener opened on|Total General servers/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`coturn exited with ${code}:\n${output}`)));
  });
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    process: child,
    output: () => output,
    stop: () => child.kill('SIGTERM'),
  };
}
