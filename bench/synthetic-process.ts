/** Starting and asking synthetic participants (bench/synthetic-client.ts), each its own process. */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ClientOptions, ClientReport } from './synthetic-client';

/** The last counters each client reported: what a client that has exited still counts for. */
const lastReports = new WeakMap<ChildProcess, ClientReport>();

export function startSyntheticClient(options: ClientOptions): ChildProcess {
  const client = fork(join(import.meta.dirname, 'synthetic-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, HUDDLE_BENCH_CLIENT: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A client that died must not take the runner with it (an unhandled 'error' would).
  client.on('error', (error) => console.error(`${options.identity}: ${error.message}`));
  return client;
}

/**
 * Its counters so far: packets sent, RTP packets received, lines receiving anything. A client
 * that has exited answers with its last report (nothing more sent or received).
 */
export function report(client: ChildProcess): Promise<ClientReport> {
  const last = () => lastReports.get(client) ?? { sent: 0, received: 0, tracks: 0 };
  if (!client.connected) return Promise.resolve(last());
  return new Promise((resolve) => {
    const onExit = () => resolve(last());
    client.once('exit', onExit);
    client.once('message', (message) => {
      client.off('exit', onExit);
      lastReports.set(client, message as ClientReport);
      resolve(message as ClientReport);
    });
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
