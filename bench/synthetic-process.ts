/** Starting and asking synthetic participants (bench/synthetic-client.ts), each its own process. */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ClientCommand, ClientOptions, ClientReport } from './synthetic-client-options';

/** The last counters each client reported: what a client that has exited still counts for. */
const lastReports = new WeakMap<ChildProcess, unknown>();

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
  return reportAs(client, { sent: 0, received: 0, tracks: 0 });
}

/** A client's report of another shape (the simulcast mode's); `none` stands for a client that never reported. */
export function reportAs<T>(client: ChildProcess, none: T): Promise<T> {
  const last = () => (lastReports.get(client) ?? none) as T;
  if (!client.connected) return Promise.resolve(last());
  return new Promise((resolve) => {
    const onExit = () => resolve(last());
    client.once('exit', onExit);
    client.once('message', (message) => {
      client.off('exit', onExit);
      lastReports.set(client, message);
      resolve(message as T);
    });
    command(client, 'report');
  });
}

export function command(client: ChildProcess, message: ClientCommand): void {
  if (client.connected) client.send(message);
}

/** Asks it to close its connections and exit; resolves once it has. */
export function stopSyntheticClient(client: ChildProcess): Promise<void> {
  if (client.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => client.once('exit', () => resolve()));
  if (client.connected) client.send('stop');
  else client.kill();
  return exited;
}
