/**
 * What the signalling layer asks of the media server, whether it runs in this process or in
 * supervised worker processes. Sessions are named by an id the caller picks; everything the SFU
 * has to say to a session comes back through that session's SessionSignals.
 */
import type { ErrorCode } from '../protocol/errors.js';
import type { ServerMessage } from '../protocol/messages.js';

export interface JoinCommand {
  sessionId: string;
  participantSid: string;
  identity: string;
  roomName: string;
  publish: { audio: boolean; video: boolean };
}

export interface SessionSignals {
  send(message: ServerMessage): void;
  /** The SFU ended this session's participant (replaced, media failed, ...). */
  evict(code: ErrorCode): void;
}

/** What a joined participant can change about what it publishes. */
export type ParticipantCommand =
  | { op: 'trackState'; trackSid: string; enabled: boolean }
  | { op: 'publishScreen' }
  | { op: 'unpublish'; trackSid: string };

export interface WorkerInfo {
  index: number;
  pid: number;
  alive: boolean;
  participants: number;
}

export interface SfuService {
  /** Media worker processes, for /healthz; empty when the SFU runs in this process. */
  describeWorkers(): WorkerInfo[];
  join(command: JoinCommand, signals: SessionSignals): void;
  answer(sessionId: string, sdp: string): void;
  command(sessionId: string, command: ParticipantCommand): void;
  leave(sessionId: string): void;
  /** Packets and bytes forwarded since the last call. */
  takeForwardedCounts(): { packets: number; bytes: number };
  close(): Promise<void>;
}
