/** Starts the built server (`dist/server/main.js`, as `npm start` does) on free ports, in a temp data folder. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
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
  return {
    url,
    dataDir,
    process: child,
    output: () => output,
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
