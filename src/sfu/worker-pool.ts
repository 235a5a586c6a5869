/**
 * Media workers, supervised from the main process. Each worker owns whole rooms and its own UDP
 * port (the base port + its index). A worker that dies is logged and started again; its
 * participants are told MEDIA_RESTARTING, and their SDKs reconnect, landing on a live worker.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { MediaEngineOptions } from './media-engine.js';
import type { JoinCommand, ParticipantCommand, SessionSignals, SfuService } from './sfu-service.js';
import { type FromWorker, type ToWorker, WORKER_OPTIONS_ENV, type WorkerOptions } from './worker-ipc.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.js', import.meta.url));
const SHUTDOWN_GRACE_MS = 5000;

class MediaWorker {
  readonly sessions = new Map<string, SessionSignals>();
  /** Sessions per room, so the pool knows when a room has left this worker. */
  readonly roomSessions = new Map<string, number>();

  constructor(
    readonly index: number,
    readonly process: ChildProcess,
  ) {}

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null && this.process.connected;
  }

  post(message: ToWorker): void {
    if (this.alive) this.process.send(message);
  }
}

export interface WorkerPoolOptions {
  count: number;
  rtc: MediaEngineOptions;
  logLevel: string;
  /** Called each time a worker died and was replaced. */
  onRestart?: (index: number) => void;
}

export class WorkerPool implements SfuService {
  private readonly workers: MediaWorker[] = [];
  private readonly roomWorker = new Map<string, MediaWorker>();
  private readonly sessionWorker = new Map<string, { worker: MediaWorker; roomName: string }>();
  private counts = { packets: 0, bytes: 0 };
  private closing = false;

  constructor(
    private readonly options: WorkerPoolOptions,
    private readonly log: Logger,
  ) {
    for (let index = 0; index < options.count; index++) this.workers.push(this.spawn(index));
  }

  describeWorkers() {
    return this.workers.map((w) => ({
      index: w.index,
      pid: w.process.pid ?? 0,
      alive: w.alive,
      participants: w.sessions.size,
    }));
  }

  private spawn(index: number): MediaWorker {
    const workerOptions: WorkerOptions = {
      index,
      rtc: { ...this.options.rtc, port: this.options.rtc.port + index },
      logLevel: this.options.logLevel,
    };
    const child = fork(WORKER_ENTRY, [], {
      env: { ...process.env, [WORKER_OPTIONS_ENV]: JSON.stringify(workerOptions) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [
        ...process.execArgv.filter((arg) => !arg.startsWith('--inspect') && !arg.startsWith('--cpu-prof')),
        // A developer's knob for the forwarding bench (npm run bench -- --profile DIR): V8 profiles
        // of the media workers, written when they exit. Node refuses --cpu-prof in NODE_OPTIONS.
        ...(process.env.HUDDLE_CPU_PROFILE_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HUDDLE_CPU_PROFILE_DIR}`]
          : []),
      ],
    });
    const worker = new MediaWorker(index, child);
    child.on('message', (message: FromWorker) => this.onMessage(worker, message));
    child.on('exit', (code, signal) => this.onExit(worker, code, signal));
    child.on('error', (error) => this.log.error({ err: error, worker: index }, 'media worker error'));
    this.log.info({ worker: index, pid: child.pid, udpPort: workerOptions.rtc.port }, 'media worker started');
    return worker;
  }

  private onMessage(worker: MediaWorker, message: FromWorker): void {
    switch (message.t) {
      case 'signal':
        worker.sessions.get(message.sessionId)?.send(message.message);
        return;
      case 'evict': {
        const signals = worker.sessions.get(message.sessionId);
        this.forget(message.sessionId);
        signals?.evict(message.code);
        return;
      }
      case 'counts':
        this.counts.packets += message.packets;
        this.counts.bytes += message.bytes;
        return;
      case 'ready':
        return;
    }
  }

  private onExit(worker: MediaWorker, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closing) return;
    const affected = [...worker.sessions.values()];
    this.log.error(
      { worker: worker.index, pid: worker.process.pid, code, signal, participants: affected.length },
      'media worker died; restarting it',
    );
    for (const sessionId of worker.sessions.keys()) this.sessionWorker.delete(sessionId);
    worker.sessions.clear();
    for (const roomName of worker.roomSessions.keys()) this.roomWorker.delete(roomName);
    worker.roomSessions.clear();
    this.workers[worker.index] = this.spawn(worker.index);
    this.options.onRestart?.(worker.index);
    for (const signals of affected) signals.evict('MEDIA_RESTARTING');
  }

  /** The worker with the fewest participants takes a new room. */
  private leastLoaded(): MediaWorker {
    return this.workers.filter((w) => w.alive).sort((a, b) => a.sessions.size - b.sessions.size)[0] ?? this.workers[0]!;
  }

  join(command: JoinCommand, signals: SessionSignals): void {
    let worker = this.roomWorker.get(command.roomName);
    if (!worker?.alive) {
      worker = this.leastLoaded();
      this.roomWorker.set(command.roomName, worker);
    }
    worker.sessions.set(command.sessionId, signals);
    worker.roomSessions.set(command.roomName, (worker.roomSessions.get(command.roomName) ?? 0) + 1);
    this.sessionWorker.set(command.sessionId, { worker, roomName: command.roomName });
    worker.post({ t: 'join', ...command });
  }

  answer(sessionId: string, sdp: string): void {
    this.sessionWorker.get(sessionId)?.worker.post({ t: 'answer', sessionId, sdp });
  }

  command(sessionId: string, command: ParticipantCommand): void {
    this.sessionWorker.get(sessionId)?.worker.post({ t: 'command', sessionId, command });
  }

  leave(sessionId: string): void {
    const entry = this.sessionWorker.get(sessionId);
    if (!entry) return;
    this.forget(sessionId);
    entry.worker.post({ t: 'leave', sessionId });
  }

  private forget(sessionId: string): void {
    const entry = this.sessionWorker.get(sessionId);
    if (!entry) return;
    const { worker, roomName } = entry;
    this.sessionWorker.delete(sessionId);
    worker.sessions.delete(sessionId);
    const left = (worker.roomSessions.get(roomName) ?? 1) - 1;
    if (left > 0) return void worker.roomSessions.set(roomName, left);
    worker.roomSessions.delete(roomName);
    if (this.roomWorker.get(roomName) === worker) this.roomWorker.delete(roomName);
  }

  takeForwardedCounts() {
    const counts = this.counts;
    this.counts = { packets: 0, bytes: 0 };
    return counts;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker.alive) return resolve();
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), SHUTDOWN_GRACE_MS);
            worker.process.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.post({ t: 'shutdown' });
          }),
      ),
    );
  }
}
