/**
 * Janus for the side-by-side bench: Debian's `janus` package (1.1.x), started with config files of
 * our own in a temp folder: WebSocket API on a free loopback port, ICE on loopback only, only the
 * VideoRoom plugin and the WebSocket transport loaded, one VP8/Opus room with no bitrate cap,
 * no session timeout, logging at warnings.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import WebSocket from 'ws';
import { stopProcess } from '../harness/server';

export const JANUS_ROOM = '1234';

/**
 * Janus never gathers on loopback, so its media and the bench clients' use this machine's first
 * non-internal IPv4 address; packets to a local address still never leave the machine.
 */
export function janusMediaAddress(): string {
  const ipv4 = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  return ipv4?.address ?? '127.0.0.1';
}

export interface RunningJanus {
  url: string;
  /** The address its media (and so the clients' media) uses. */
  mediaAddress: string;
  pid: number;
  version: string;
  output(): string;
  stop(): Promise<void>;
}

/** Where the package put the plugins and transports (Debian multiarch, or a source install). */
function libraryFolder(): string | undefined {
  const candidates = ['/usr/lib', '/usr/local/lib', '/opt/janus/lib'].flatMap((root) => [
    join(root, 'janus'),
    ...(existsSync(root) ? readdirSync(root).map((sub) => join(root, sub, 'janus')) : []),
  ]);
  return candidates.find((folder) => existsSync(join(folder, 'plugins', 'libjanus_videoroom.so')));
}

export function janusVersion(): string | undefined {
  // Janus has no --version: its help starts with 'Janus version: 1102 (1.1.2)'.
  const run = spawnSync('janus', ['--help'], { encoding: 'utf8' });
  if (run.error) return undefined;
  return /Janus version: \d+ \(([\d.]+)\)/.exec(run.stdout + run.stderr)?.[1] ?? 'unknown';
}

/**
 * Makes sure Janus is installed: installs Debian's package when `install` is true, or asks when
 * stdin is a terminal; `install` false leaves Janus out. Returns why Janus will not run, if so.
 */
export async function ensureJanus(install: boolean | undefined): Promise<string | undefined> {
  if (install === false) return 'left out (--no-janus)';
  if (janusVersion() && libraryFolder()) return undefined;
  let allowed = install === true;
  if (!allowed && process.stdin.isTTY) {
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    allowed = /^y/i.test(
      await prompt.question('Janus is not installed. Install the Debian package "janus" with apt-get now? [y/N] '),
    );
    prompt.close();
  }
  if (!allowed) return 'Janus is not installed: rerun with --install-janus, or apt-get install janus';
  const root = process.getuid?.() === 0;
  const apt = (...args: string[]) =>
    spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], { stdio: 'inherit' });
  apt('update');
  if (apt('install', '-y', 'janus').status !== 0 || !janusVersion())
    return 'installing the Debian package "janus" failed';
  return undefined;
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startJanus(): Promise<RunningJanus> {
  const lib = libraryFolder();
  if (!lib) throw new Error('Janus plugins not found');
  const dir = mkdtempSync(join(tmpdir(), 'huddle-janus-'));
  const port = await freeTcpPort();
  const mediaAddress = janusMediaAddress();
  const others = (folder: string, keep: string) =>
    readdirSync(join(lib, folder))
      .filter((f) => f.endsWith('.so') && f !== keep)
      .join(',');
  writeFileSync(
    join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${lib}/plugins"
  transports_folder = "${lib}/transports"
  events_folder = "${lib}/events"
  loggers_folder = "${lib}/loggers"
  debug_level = 3
  session_timeout = 0
}
media: {
}
nat: {
  ice_enforce_list = "${mediaAddress}"
}
plugins: {
  disable = "${others('plugins', 'libjanus_videoroom.so')}"
}
transports: {
  disable = "${others('transports', 'libjanus_websockets.so')}"
}
events: {
  broadcast = false
}
loggers: {
  disable = "${others('loggers', '')}"
}
`,
  );
  writeFileSync(
    join(dir, 'janus.transport.websockets.jcfg'),
    `general: {
  json = "compact"
  ws = true
  ws_port = ${port}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`,
  );
  writeFileSync(
    join(dir, 'janus.plugin.videoroom.jcfg'),
    `general: {
}
room-${JANUS_ROOM}: {
  description = "Huddle bench"
  publishers = 100
  bitrate = 0
  fir_freq = 0
  audiocodec = "opus"
  videocodec = "vp8"
  record = false
}
`,
  );
  const child: ChildProcess = spawn('janus', ['-C', join(dir, 'janus.jcfg'), '-F', dir, '-o'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `ws://127.0.0.1:${port}`;
  // Ready once its WebSocket transport accepts a connection.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Janus exited with ${child.exitCode}:\n${output}`);
    const ready = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(url, 'janus-protocol');
      socket.once('open', () => {
        socket.close();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`Janus did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    mediaAddress,
    pid: child.pid!,
    version: janusVersion() ?? 'unknown',
    output: () => output,
    stop: () => stopProcess(child),
  };
}
