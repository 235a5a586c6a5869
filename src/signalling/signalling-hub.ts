/** Every live signalling session, the room directory they share, and a way to end them all. */
import type { WebSocket } from 'ws';
import type { ErrorCode } from '../protocol/errors.js';
import { RoomDirectory } from './room-directory.js';
import { type SignallingDeps, SignallingSession } from './signalling-session.js';

export class SignallingHub {
  readonly directory: RoomDirectory;
  private readonly sessions = new Set<SignallingSession>();
  private readonly deps: SignallingDeps;

  constructor(deps: Omit<SignallingDeps, 'directory'>) {
    this.directory = new RoomDirectory(deps.limits);
    this.deps = { ...deps, directory: this.directory };
  }

  accept(socket: WebSocket): void {
    this.sessions.add(new SignallingSession(socket, this.deps, (session) => this.sessions.delete(session)));
  }

  /** Ends every session with this code (server shutdown: SERVER_SHUTTING_DOWN). */
  closeAll(code: ErrorCode): void {
    for (const session of [...this.sessions]) session.close(code);
  }
}
