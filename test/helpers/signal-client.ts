import WebSocket from 'ws';
import type { ServerMessage } from '../../src/protocol/messages';

/** A signalling client that records what it receives and how it was closed. */
export class SignalClient {
  readonly socket: WebSocket;
  readonly received: ServerMessage[] = [];
  closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()));
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  async open(): Promise<this> {
    await new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
    });
    return this;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Takes the first received message of this type, waiting up to 10 s for one. */
  next<T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> {
    return this.nextOf([type]) as Promise<Extract<ServerMessage, { type: T }>>;
  }

  /** Takes the first received message of any of these types (one waiter, so nothing is left to steal later replies). */
  async nextOf(types: ServerMessage['type'][]): Promise<ServerMessage> {
    for (;;) {
      const index = this.received.findIndex((m) => types.includes(m.type));
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${types.join('/')} message; got ${JSON.stringify(this.received).slice(0, 500)}`)),
          10_000,
        );
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
