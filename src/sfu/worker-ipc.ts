/** Messages between the main process and a media worker, over Node's IPC channel. */
import type { ErrorCode } from '../protocol/errors.js';
import type { ServerMessage } from '../protocol/messages.js';
import type { MediaEngineOptions } from './media-engine.js';
import type { JoinCommand, ParticipantCommand } from './sfu-service.js';

export type ToWorker =
  | ({ t: 'join' } & JoinCommand)
  | { t: 'answer'; sessionId: string; sdp: string }
  | { t: 'command'; sessionId: string; command: ParticipantCommand }
  | { t: 'leave'; sessionId: string }
  | { t: 'shutdown' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'signal'; sessionId: string; message: ServerMessage }
  | { t: 'evict'; sessionId: string; code: ErrorCode }
  | { t: 'counts'; packets: number; bytes: number };

/** Passed to a worker in its environment, as JSON. */
export interface WorkerOptions {
  index: number;
  rtc: MediaEngineOptions;
  logLevel: string;
}

export const WORKER_OPTIONS_ENV = 'HUDDLE_WORKER_OPTIONS';
