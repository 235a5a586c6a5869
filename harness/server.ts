/** Starts the built server (`dist/server/main.js`, as `npm start` does) on free ports, in a temp data folder. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiCredentials, mintAccessToken } from '../src/tokens/access-token';

export interface Health {
  status: string;
  rooms: number;
  participants: number;
  workers: {
    index: number;
    pid: number;
    alive: boolean;
    participants: number;
    memory?: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
  }[];
}

export interface RunningServer {
  url: string;
  /** The signalling WebSocket's address. */
  signalUrl: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  /** The API key the server generated into its data folder on first start (it signs access tokens). */
  credentials: () => ApiCredentials;
  /** An access token for this identity, for this room (or any room), signed with the server's key. */
  token: (identity: string, room?: string) => Promise<string>;
  /** GET /healthz (plain HTTP servers: fetch refuses a self-signed certificate). */
  health: () => Promise<Health>;
  /** GET /metrics: Prometheus text. */
  metrics: () => Promise<string>;
  stop: () => Promise<void>;
}

/** The credentials a server generated into its data folder (when none were set in its environment). */
export function readCredentials(dataDir: string): ApiCredentials {
  const file = join(dataDir, 'credentials.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: was the server given HUDDLE_API_KEY and the rest?`);
  return JSON.parse(readFileSync(file, 'utf8')) as ApiCredentials;
}

function bindUdp(port: number): Promise<ReturnType<typeof createSocket> | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(null));
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

/** The first of `count` consecutive free UDP ports (one per media worker). */
export async function freeUdpPort(count = 1): Promise<number> {
  for (;;) {
    const first = await bindUdp(0);
    if (!first) throw new Error('cannot bind any UDP port');
    const base = first.address().port;
    const rest = [];
    for (let i = 1; i < count; i++) rest.push(await bindUdp(base + i));
    for (const socket of [first, ...rest]) socket?.close();
    if (rest.every((socket) => socket !== null) && base + count <= 65535) return base;
  }
}

/**
 * Servers this process started: killed when it exits, even on a signal (a bench or script stopped
 * with Ctrl+C or by a timeout), so no server is left running with its UDP port held.
 */
const started = new Set<ChildProcess>();
let reaping = false;
function reapOnExit(child: ChildProcess): void {
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (reaping) return;
  reaping = true;
  const killAll = () => {
    for (const c of started) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = env.HUDDLE_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'huddle-test-'));
  const workers = Number(env.HUDDLE_WORKERS ?? availableParallelism());
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HUDDLE_DATA_DIR: dataDir,
      HUDDLE_RTC_PORT: String(await freeUdpPort(Math.max(1, workers))),
      HUDDLE_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapOnExit(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /Huddle is running at (https?:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const credentials = () => readCredentials(dataDir);
  return {
    url,
    signalUrl: `${url.replace(/^http/, 'ws')}/signal`,
    dataDir,
    process: child,
    output: () => output,
    credentials,
    token: (identity, room) => mintAccessToken(credentials(), { identity, room }),
    health: async () => (await fetch(`${url}/healthz`)).json() as Promise<Health>,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    stop: () => stopProcess(child),
  };
}

/** SIGTERM (a server drains on it), then SIGKILL if it has not exited within 5 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
