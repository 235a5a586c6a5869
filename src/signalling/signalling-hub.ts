/** Every live signalling session, how many each address holds, and a way to end them all. */
import type { WebSocket } from 'ws';
import { closeReason, type ErrorCode, ErrorTable } from '../protocol/errors.js';
import { addressKey } from './address-key.js';
import { type SignallingDeps, SignallingSession } from './signalling-session.js';

export class SignallingHub {
  private readonly sessions = new Set<SignallingSession>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly deps: SignallingDeps) {}

  accept(socket: WebSocket, remoteAddress: string): void {
    const address = addressKey(remoteAddress);
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.deps.limits.maxConnectionsPerAddress) {
      // One address holding every seat or room is an attack or a bug; the others keep their room.
      this.deps.onError('TOO_MANY_CONNECTIONS');
      socket.close(ErrorTable.TOO_MANY_CONNECTIONS.close, closeReason('TOO_MANY_CONNECTIONS'));
      return;
    }
    this.perAddress.set(address, held + 1);
    const session = new SignallingSession(socket, this.deps, (ended) => {
      this.sessions.delete(ended);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
    this.sessions.add(session);
  }

  /** Ends every session with this code (server shutdown: SERVER_SHUTTING_DOWN). */
  closeAll(code: ErrorCode): void {
    for (const session of [...this.sessions]) session.close(code);
  }
}
