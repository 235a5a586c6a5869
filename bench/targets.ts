/**
 * The servers the forwarding bench runs the same load on: a fresh Huddle (one media worker) or a
 * fresh Janus VideoRoom, each placed alike (CPUs, priority), and what the runner asks of them.
 */
import { startServer } from '../harness/server';
import { JANUS_ROOM, startJanus } from './janus-server';
import { pinToCpus, prioritize } from './proc';
import type { ClientOptions } from './synthetic-client-options';

/** Where and how a server under test runs (both alike), and whether Huddle's workers write CPU profiles. */
export interface ServerPlacement {
  serverCpus: string | undefined;
  serverNice: number | undefined;
  /** Folder for V8 CPU profiles of Huddle's media workers (node --cpu-prof). */
  profile: string | undefined;
}

/** What the runner needs from a server under test. */
export interface Target {
  name: string;
  clientOptions(identity: string, index: number, n: number): Promise<ClientOptions>;
  /** The server's processes, whose CPU is counted. */
  pids(): Promise<number[]>;
  eventLoopP99Ms(): Promise<number | null>;
  /** The server's own log, shown when a run did not get every participant connected. */
  output(): string;
  stop(): Promise<void>;
}

export async function huddleTarget(args: ServerPlacement): Promise<Target> {
  const server = await startServer({
    HUDDLE_WORKERS: '1',
    HUDDLE_LOG_LEVEL: 'warn',
    HUDDLE_ROOM_CAPACITY: '100',
    // Every microphone to everyone, as Janus forwards them: with audio last-N (3 by default) the
    // receivers counted the microphones held back as lost (16.8 % at N = 8), and Huddle's CPU per
    // packet was taken over less work than Janus's.
    HUDDLE_AUDIO_LAST_N: '0',
    // Media workers' profiles, written when they exit (the server drains on SIGTERM).
    ...(args.profile ? { HUDDLE_CPU_PROFILE_DIR: args.profile } : {}),
  });
  const pids = async () => [server.process.pid!, ...(await server.health()).workers.map((w) => w.pid)];
  for (const pid of await pids()) placeServer(pid, args);
  return {
    name: 'Huddle',
    clientOptions: async (identity, index, n) => ({
      server: 'huddle',
      url: server.signalUrl,
      bindAddress: '127.0.0.1',
      token: await server.token(identity, 'bench'),
      room: 'bench',
      identity,
      index,
      n,
    }),
    pids,
    eventLoopP99Ms: async () => {
      const text = await server.metrics();
      const match = /^huddle_process_nodejs_eventloop_lag_p99_seconds ([\d.e+-]+)$/m.exec(text);
      return match ? Number(match[1]) * 1000 : null;
    },
    output: () => server.output(),
    stop: () => server.stop(),
  };
}

export async function janusTarget(args: ServerPlacement): Promise<Target> {
  const janus = await startJanus();
  placeServer(janus.pid, args);
  return {
    name: 'Janus',
    clientOptions: async (identity, index, n) => ({
      server: 'janus',
      url: janus.url,
      bindAddress: janus.mediaAddress,
      token: '',
      room: JANUS_ROOM,
      identity,
      index,
      n,
    }),
    pids: async () => [janus.pid],
    eventLoopP99Ms: async () => null,
    output: () => janus.output(),
    stop: () => janus.stop(),
  };
}

/** CPU pinning and priority for a server process, the same for both servers. */
function placeServer(pid: number, args: ServerPlacement): void {
  if (args.serverCpus) pinToCpus(pid, args.serverCpus);
  if (args.serverNice !== undefined && !prioritize(pid, args.serverNice))
    throw new Error('--server-nice needs root or CAP_SYS_NICE');
}
