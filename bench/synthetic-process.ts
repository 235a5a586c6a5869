/** Starting and asking synthetic participants (bench/synthetic-client.ts), each its own process. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ClientOptions, ClientReport } from './synthetic-client';

export function startSyntheticClient(options: ClientOptions): ChildProcess {
  return fork(join(import.meta.dirname, 'synthetic-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, HUDDLE_BENCH_CLIENT: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Its counters so far: packets sent, RTP packets received, lines receiving anything. */
export function report(client: ChildProcess): Promise<ClientReport> {
  return new Promise((resolve) => {
    client.once('message', (message) => resolve(message as ClientReport));
    client.send('report');
  });
}

/** Asks it to close its connections and exit; resolves once it has. */
export function stopSyntheticClient(client: ChildProcess): Promise<void> {
  if (client.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => client.once('exit', () => resolve()));
  if (client.connected) client.send('stop');
  else client.kill();
  return exited;
}
