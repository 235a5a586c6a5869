/** Every live signalling session, and a way to end them all. */
import type { WebSocket } from 'ws';
import type { ErrorCode } from '../protocol/errors.js';
import { type SignallingDeps, SignallingSession } from './signalling-session.js';

export class SignallingHub {
  private readonly sessions = new Set<SignallingSession>();

  constructor(private readonly deps: SignallingDeps) {}

  accept(socket: WebSocket): void {
    this.sessions.add(new SignallingSession(socket, this.deps, (session) => this.sessions.delete(session)));
  }

  /** Ends every session with this code (server shutdown: SERVER_SHUTTING_DOWN). */
  closeAll(code: ErrorCode): void {
    for (const session of [...this.sessions]) session.close(code);
  }
}
