/** One media worker process as the main process sees it: its IPC channel and the sessions it carries. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MediaJoin, MediaRoomHandle, ParticipantCommand, SessionSignals, WorkerMemory } from './sfu-service.js';
import { type FromWorker, type ToWorker, WORKER_OPTIONS_ENV, type WorkerOptions } from './worker-ipc.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.js', import.meta.url));

export interface MediaWorkerEvents {
  message(message: FromWorker): void;
  exit(code: number | null, signal: NodeJS.Signals | null): void;
}

export class MediaWorker {
  /** The signalling sessions whose media this worker carries, by session id. */
  readonly sessions = new Map<string, SessionSignals>();
  readonly process: ChildProcess;
  /** What it last reported of its memory (every second). */
  memory: WorkerMemory | undefined;

  constructor(
    readonly options: WorkerOptions,
    /** Where V8 CPU profiles go when the worker exits (the bench's --profile), if anywhere. */
    cpuProfileDir: string | undefined,
    events: MediaWorkerEvents,
  ) {
    this.process = fork(WORKER_ENTRY, [], {
      env: { ...process.env, [WORKER_OPTIONS_ENV]: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [
        ...process.execArgv.filter((arg) => !arg.startsWith('--inspect') && !arg.startsWith('--cpu-prof')),
        // Node refuses --cpu-prof in NODE_OPTIONS, so it is passed here.
        ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
      ],
    });
    this.process.on('message', (message: FromWorker) => events.message(message));
    this.process.on('exit', (code, signal) => events.exit(code, signal));
  }

  get index(): number {
    return this.options.index;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null && this.process.connected;
  }

  post(message: ToWorker): void {
    if (this.alive) this.process.send(message);
  }

  /** Opens a room's media on this worker; the handle posts to it and keeps its session table. */
  openRoom(room: { sid: string; name: string }): MediaRoomHandle {
    const roomSid = room.sid;
    this.post({ type: 'openRoom', roomSid, roomName: room.name });
    return {
      join: (join: MediaJoin, signals: SessionSignals) => {
        this.sessions.set(join.sessionId, signals);
        this.post({ type: 'join', roomSid, join });
      },
      answer: (sessionId: string, sdp: string) => this.post({ type: 'answer', roomSid, sessionId, sdp }),
      command: (sessionId: string, command: ParticipantCommand) =>
        this.post({ type: 'command', roomSid, sessionId, command }),
      leave: (sessionId: string, away?: boolean) => {
        if (this.sessions.delete(sessionId)) this.post({ type: 'leave', roomSid, sessionId, away: away === true });
      },
      depart: (participantSid: string) => this.post({ type: 'depart', roomSid, participantSid }),
      close: () => this.post({ type: 'closeRoom', roomSid }),
    };
  }
}
