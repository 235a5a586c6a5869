/** Messages between the main process and a media worker, over Node's IPC channel. */
import type { ErrorCode } from '../protocol/errors.js';
import type { ServerMessage } from '../protocol/messages.js';
import type { MediaEngineOptions } from './engine/media-engine.js';
import type { MediaPolicy } from './media-room.js';
import type { MediaJoin, ParticipantCommand, WorkerMemory } from './sfu-service.js';

/** Every message names the media room it is for by the room's SID. */
export type ToWorker =
  | { type: 'openRoom'; roomSid: string; roomName: string }
  | { type: 'closeRoom'; roomSid: string }
  | { type: 'join'; roomSid: string; join: MediaJoin }
  | { type: 'answer'; roomSid: string; sessionId: string; sdp: string }
  | { type: 'command'; roomSid: string; sessionId: string; command: ParticipantCommand }
  | { type: 'leave'; roomSid: string; sessionId: string; away: boolean }
  | { type: 'depart'; roomSid: string; participantSid: string }
  | { type: 'shutdown' };

export type FromWorker =
  /** The worker is up; `error` says why it cannot carry media (then it exits). */
  | { type: 'ready'; error?: string }
  | { type: 'signal'; sessionId: string; message: ServerMessage }
  | { type: 'evict'; sessionId: string; code: ErrorCode }
  | { type: 'counts'; packets: number; bytes: number; memory: WorkerMemory };

/** Passed to a worker in its environment, as JSON. */
export interface WorkerOptions {
  index: number;
  rtc: MediaEngineOptions;
  policy: MediaPolicy;
  logLevel: string;
}

export const WORKER_OPTIONS_ENV = 'HUDDLE_WORKER_OPTIONS';
