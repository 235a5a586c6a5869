/**
 * One signalling WebSocket: authenticates the join by its token, validates every message against
 * the shared protocol, and relays between the client and its Participant in the SFU. Bad input
 * gets an error message with a stable code and the connection lives on; only authentication
 * failures and evictions close it, with the code at the start of the close reason.
 */
import type { WebSocket, RawData } from 'ws';
import type { Logger } from 'pino';
import { closeReason, ErrorTable, type ErrorCode } from '../protocol/errors.js';
import { MAX_MESSAGE_BYTES, parseClientMessage, type JoinMessage, type ServerMessage } from '../protocol/messages.js';
import { DEFAULT_ROOM } from '../protocol/names.js';
import { TokenError, verifyAccessToken, type ApiCredentials } from '../tokens/access-token.js';
import type { Participant } from '../sfu/participant.js';
import type { RoomRegistry } from '../sfu/room-registry.js';

export const JOIN_TIMEOUT_MS = 15_000;
/** A connection that answers no ping within this long is treated as vanished. */
export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface SignallingDeps {
  credentials: ApiCredentials;
  registry: RoomRegistry;
  log: Logger;
}

type State = 'awaiting-join' | 'joining' | 'joined' | 'closed';

export class SignallingSession {
  private state: State = 'awaiting-join';
  private participant: Participant | undefined;
  private readonly joinTimer: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private alive = true;

  constructor(private readonly socket: WebSocket, private readonly deps: SignallingDeps) {
    this.joinTimer = setTimeout(() => this.close('JOIN_TIMEOUT'), JOIN_TIMEOUT_MS);
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_INTERVAL_MS);
    socket.on('pong', () => (this.alive = true));
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', () => this.onClosed());
    socket.on('error', (error) => this.deps.log.debug({ err: error }, 'signalling socket error'));
  }

  private checkAlive(): void {
    if (!this.alive) {
      this.deps.log.info({ participant: this.participant?.sid }, 'signalling connection vanished');
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  private send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private sendError(code: ErrorCode, message?: string, ref?: string): void {
    this.send({ type: 'error', code, message: message ?? ErrorTable[code].message, ...(ref ? { ref } : {}) });
  }

  /** Closes with the error's close code and a reason that starts with its stable code. */
  close(code: ErrorCode, message?: string): void {
    if (this.state === 'closed') return;
    this.socket.close(ErrorTable[code].close, closeReason(code, message));
    this.onClosed();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.state === 'closed') return;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
    if (size > MAX_MESSAGE_BYTES) return this.sendError('MESSAGE_TOO_LARGE', `Messages are limited to ${MAX_MESSAGE_BYTES} bytes`);
    if (isBinary) return this.sendError('INVALID_MESSAGE', 'Messages are JSON text, not binary');
    const parsed = parseClientMessage(data.toString());
    if (!parsed.ok) return this.sendError(parsed.code, parsed.detail, parsed.ref);
    const message = parsed.message;
    switch (message.type) {
      case 'join':
        if (this.state !== 'awaiting-join') return this.sendError('ALREADY_JOINED', undefined, 'join');
        void this.join(message);
        return;
      case 'ping':
        return this.send({ type: 'pong', ...(message.id === undefined ? {} : { id: message.id }) });
      case 'answer':
        if (!this.participant) return this.sendError('NOT_JOINED', undefined, 'answer');
        try {
          this.participant.acceptAnswer(message.sdp);
        } catch (error) {
          this.sendError('NEGOTIATION_FAILED', error instanceof Error ? error.message : String(error), 'answer');
        }
        return;
      case 'leave':
        if (!this.participant) return this.sendError('NOT_JOINED', undefined, 'leave');
        this.socket.close(1000, 'left');
        this.onClosed();
        return;
    }
  }

  private async join(message: JoinMessage): Promise<void> {
    this.state = 'joining';
    clearTimeout(this.joinTimer);
    const { credentials, registry, log } = this.deps;
    let grant;
    try {
      grant = await verifyAccessToken(credentials, message.token);
    } catch (error) {
      if (error instanceof TokenError) return this.close(error.code, error.message);
      throw error;
    }
    if (this.state !== 'joining') return; // the client went away while the token was checked
    if (grant.room !== undefined && message.room !== undefined && message.room !== grant.room) {
      return this.close('ROOM_MISMATCH', `This token is for another room than '${message.room.slice(0, 40)}'`);
    }
    const roomName = grant.room ?? message.room ?? DEFAULT_ROOM;
    this.participant = registry.join({
      identity: grant.identity,
      roomName,
      publish: message.publish,
      signals: { send: (m) => this.send(m), evict: (code) => this.close(code) },
    });
    this.state = 'joined';
    log.debug({ participant: this.participant.sid }, 'signalling joined');
  }

  private onClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.joinTimer);
    clearInterval(this.heartbeat);
    if (this.participant) this.deps.registry.leave(this.participant);
  }
}
