/**
 * Media workers, supervised from the main process. Each worker owns whole rooms and its own UDP
 * port (the base port + its index). A worker that dies is logged and started again; its
 * participants are told MEDIA_RESTARTING, and their SDKs reconnect, landing on a live worker.
 */
import type { Logger } from 'pino';
import type { MediaEngineOptions } from './engine/media-engine.js';
import type { MediaPolicy } from './media-room.js';
import { MediaWorker } from './media-worker.js';
import type { MediaRoomHandle, SfuService, WorkerInfo } from './sfu-service.js';
import type { FromWorker } from './worker-ipc.js';

const SHUTDOWN_GRACE_MS = 5000;
const READY_TIMEOUT_MS = 30_000;
/** A worker that died before it was ready (its port taken since) is not restarted in a tight loop. */
const RESTART_BACKOFF_MS = 2000;

export interface WorkerPoolOptions {
  count: number;
  rtc: MediaEngineOptions;
  policy: MediaPolicy;
  logLevel: string;
  /** For profiling: the workers write V8 CPU profiles here when they exit. */
  cpuProfileDir?: string | undefined;
  /** Called each time a worker died and was replaced. */
  onRestart?: (index: number) => void;
}

export class WorkerPool implements SfuService {
  private readonly workers: MediaWorker[] = [];
  private readonly readiness: Promise<void>[] = [];
  private counts = { packets: 0, bytes: 0 };
  private closing = false;

  constructor(
    private readonly options: WorkerPoolOptions,
    private readonly log: Logger,
  ) {
    for (let index = 0; index < options.count; index++) this.workers.push(this.spawn(index));
  }

  /** Resolves once every worker said it is ready; rejects with the first one's reason if it cannot be. */
  async ready(): Promise<void> {
    await Promise.all(this.readiness);
  }

  describeWorkers(): WorkerInfo[] {
    return this.workers.map((w) => ({
      index: w.index,
      pid: w.process.pid ?? 0,
      alive: w.alive,
      participants: w.sessions.size,
      ...(w.memory ? { memory: w.memory } : {}),
    }));
  }

  private spawn(index: number): MediaWorker {
    const rtc = { ...this.options.rtc, port: this.options.rtc.port + index };
    let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    const readiness = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Only the first start is awaited (by ready()); a restarted worker that fails is logged instead.
    readiness.catch((error: Error) => this.log.error({ err: error, worker: index }, 'media worker is not ready'));
    this.readiness[index] = readiness;
    const timer = setTimeout(() => settle?.reject(new Error(`media worker ${index} did not start`)), READY_TIMEOUT_MS);
    timer.unref();
    let wasReady = false;
    const worker: MediaWorker = new MediaWorker(
      { index, rtc, policy: this.options.policy, logLevel: this.options.logLevel },
      this.options.cpuProfileDir,
      {
        message: (message) => {
          if (message.type === 'ready') {
            clearTimeout(timer);
            if (message.error) settle?.reject(new Error(message.error));
            else {
              wasReady = true;
              settle?.resolve();
            }
            return;
          }
          this.onMessage(worker, message);
        },
        exit: (code, signal) => {
          clearTimeout(timer);
          settle?.reject(new Error(`media worker ${index} exited (${signal ?? code}) before it was ready`));
          this.onExit(worker, code, signal, wasReady);
        },
      },
    );
    worker.process.on('error', (error) => this.log.error({ err: error, worker: index }, 'media worker error'));
    this.log.info({ worker: index, pid: worker.process.pid, udpPort: rtc.port }, 'media worker started');
    return worker;
  }

  private onMessage(worker: MediaWorker, message: Exclude<FromWorker, { type: 'ready' }>): void {
    switch (message.type) {
      case 'signal':
        worker.sessions.get(message.sessionId)?.send(message.message);
        return;
      case 'evict': {
        const signals = worker.sessions.get(message.sessionId);
        worker.sessions.delete(message.sessionId);
        signals?.evict(message.code);
        return;
      }
      case 'counts':
        this.counts.packets += message.packets;
        this.counts.bytes += message.bytes;
        worker.memory = message.memory;
        return;
    }
  }

  private onExit(worker: MediaWorker, code: number | null, signal: NodeJS.Signals | null, wasReady: boolean): void {
    if (this.closing || this.workers[worker.index] !== worker) return;
    const affected = [...worker.sessions.values()];
    worker.sessions.clear();
    this.log.error(
      { worker: worker.index, pid: worker.process.pid, code, signal, participants: affected.length },
      'media worker died; restarting it',
    );
    const restart = () => {
      if (this.closing || this.workers[worker.index] !== worker) return;
      this.workers[worker.index] = this.spawn(worker.index);
      this.options.onRestart?.(worker.index);
    };
    if (wasReady) restart();
    else setTimeout(restart, RESTART_BACKOFF_MS).unref();
    for (const signals of affected) signals.evict('MEDIA_RESTARTING');
  }

  /** A new room goes to the live worker carrying the fewest participants. */
  openRoom(room: { sid: string; name: string }): MediaRoomHandle {
    const live = this.workers.filter((w) => w.alive).sort((a, b) => a.sessions.size - b.sessions.size);
    return (live[0] ?? this.workers[0]!).openRoom(room);
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
            worker.post({ type: 'shutdown' });
          }),
      ),
    );
  }
}
