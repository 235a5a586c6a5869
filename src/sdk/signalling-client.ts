import { SIGNAL_PATH } from '../protocol/endpoints.js';
import type { ClientMessage, ServerMessage } from '../protocol/messages.js';
import { HuddleError } from './huddle-error.js';
import { log } from './logger.js';
import { readServerMessage } from './server-message.js';
import { TypedEmitter } from './typed-emitter.js';

export interface SignallingEvents {
  message: (message: ServerMessage) => void;
  closed: (error: HuddleError | undefined) => void;
}

function httpOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The origin of the script that defined the SDK: by default Huddle talks to the server that served
 * it, from a page on another origin too. The script build is a classic script (its `src`, while it
 * runs); the module build knows its own URL (a classic script's bundle has no `import.meta`).
 */
const scriptOrigin =
  httpOrigin(
    typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
      ? document.currentScript.src
      : undefined,
  ) ?? httpOrigin(import.meta.url);

export function defaultSignallingUrl(): string {
  const origin = new URL(scriptOrigin ?? location.origin);
  origin.protocol = origin.protocol === 'https:' ? 'wss:' : 'ws:';
  origin.pathname = SIGNAL_PATH;
  return origin.toString();
}

/** A close code of the application range (4000–4999): the client is about to resume. */
const RESUMING_CLOSE_CODE = 4000;
/**
 * The page's own heartbeat: a ping this often, and a server heard from in none of this long
 * (no message, no pong) is lost. An offline network closes no socket: without it, the page would
 * learn of the loss only once the network came back.
 */
const PING_INTERVAL_MS = 3000;
const SILENCE_LIMIT_MS = 9000;

/** The WebSocket to the server, speaking the shared protocol; invalid server messages are dropped. */
export class SignallingClient extends TypedEmitter<SignallingEvents> {
  private closedByUs = false;
  /** 'closed' was emitted (by the socket's close, or by the heartbeat before it). */
  private ended = false;
  private lastHeard = Date.now();
  private readonly heartbeat: ReturnType<typeof setInterval>;

  private constructor(private readonly socket: WebSocket) {
    super();
    this.heartbeat = setInterval(() => this.beat(), PING_INTERVAL_MS);
    socket.addEventListener('message', (event) => {
      this.lastHeard = Date.now();
      if (typeof event.data !== 'string') return;
      const message = readServerMessage(event.data);
      if (message) this.emit('message', message);
      else log.warn('huddle: ignored a server message that is not a JSON object with a type');
    });
    socket.addEventListener('close', (event) =>
      this.end(this.closedByUs || event.code === 1000 ? undefined : HuddleError.fromClose(event.code, event.reason)),
    );
  }

  private end(error: HuddleError | undefined): void {
    clearInterval(this.heartbeat);
    if (this.ended) return;
    this.ended = true;
    this.emit('closed', error);
  }

  private beat(): void {
    if (Date.now() - this.lastHeard <= SILENCE_LIMIT_MS) return this.send({ type: 'ping' });
    // Not a goodbye: the server holds this page's seat while it resumes.
    this.end(new HuddleError('SIGNALLING_FAILED', 'The server stopped answering'));
    this.socket.close(RESUMING_CLOSE_CODE, 'resuming');
  }

  static open(url: string): Promise<SignallingClient> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        reject(new HuddleError('SIGNALLING_FAILED', `Cannot open ${url}`, { cause: error }));
        return;
      }
      const fail = () => reject(new HuddleError('SIGNALLING_FAILED', `Cannot reach the signalling server at ${url}`));
      socket.addEventListener('error', fail, { once: true });
      socket.addEventListener(
        'open',
        () => {
          socket.removeEventListener('error', fail);
          resolve(new SignallingClient(socket));
        },
        { once: true },
      );
    });
  }

  send(message: ClientMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /**
   * A goodbye (`leave`, then close 1000); or, `resuming`, a close with RESUMING_CLOSE_CODE and no
   * goodbye, so that the server holds the seat for the session that replaces this one.
   */
  close(options: { resuming?: boolean } = {}): void {
    this.closedByUs = true;
    clearInterval(this.heartbeat);
    if (options.resuming) return this.socket.close(RESUMING_CLOSE_CODE, 'resuming');
    if (this.socket.readyState === WebSocket.OPEN) this.send({ type: 'leave' });
    this.socket.close(1000, 'left');
  }
}
