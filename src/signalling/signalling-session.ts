/**
 * One signalling WebSocket: authenticates the join by its token, validates every message against
 * the shared protocol, and relays between the client and its room. Bad input gets an error
 * message with a stable code and the connection lives on; only authentication failures, limits
 * at join, and evictions close it, with the code at the start of the close reason.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { closeReason, type ErrorCode, ErrorTable, HuddleError } from '../protocol/errors.js';
import {
  type JoinedMessage,
  type JoinMessage,
  joinTracks,
  PROTOCOL_VERSION,
  parseClientMessage,
  type ServerMessage,
} from '../protocol/messages.js';
import { identityProblem } from '../protocol/names.js';
import { newSid } from '../protocol/sids.js';
import type { Room, RoomMember } from '../rooms/room.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { ParticipantCommand } from '../sfu/sfu-service.js';
import { type ApiCredentials, type VerifiedToken, verifyAccessToken } from '../tokens/access-token.js';
import { TokenBucket } from './token-bucket.js';

export const JOIN_TIMEOUT_MS = 15_000;
const RATE_LIMITED_REPLY_INTERVAL_MS = 1000;
/** How long a member holding a contested identity has to answer a ping. */
const PROBE_TIMEOUT_MS = 2000;

/** The `type` of a message, read cheaply from its first bytes (it is not parsed when refused). */
function messageTypeOf(data: RawData): string | undefined {
  const first = Array.isArray(data) ? data[0] : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const head = first?.subarray(0, 64).toString('latin1') ?? '';
  return /"type"\s*:\s*"(\w{1,32})"/.exec(head)?.[1];
}

export interface SignallingLimits {
  maxMessageBytes: number;
  /** Messages per second per connection (a burst of twice that is allowed). */
  messagesPerSecond: number;
  /** Ping interval; a connection silent for two intervals is treated as vanished. */
  heartbeatMs: number;
  /** What the server may hold for a client that does not read: past it, the connection is closed (SLOW_CONSUMER). */
  maxBufferedBytes: number;
  /** Signalling connections one address may hold (an office behind one NAT holds many). */
  maxConnectionsPerAddress: number;
}

export interface SignallingDeps {
  credentials: ApiCredentials;
  rooms: RoomRegistry;
  limits: SignallingLimits;
  log: Logger;
  onError: (code: ErrorCode) => void;
  /** The ICE servers to give this identity in `joined` (TURN credentials are minted per identity). */
  iceFor?: ((identity: string) => Pick<JoinedMessage, 'iceServers' | 'iceTransportPolicy'>) | undefined;
}

type State = 'awaiting-join' | 'joining' | 'joined' | 'closed';

export class SignallingSession {
  readonly id = randomUUID();
  private state: State = 'awaiting-join';
  private membership: { room: Room; member: RoomMember } | undefined;
  private readonly joinTimer: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly bucket: TokenBucket;
  private alive = true;
  private lastRateLimitedReply = -Infinity;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: SignallingDeps,
    private readonly onEnded: (s: SignallingSession) => void,
  ) {
    this.bucket = new TokenBucket(deps.limits.messagesPerSecond, 2 * deps.limits.messagesPerSecond);
    this.joinTimer = setTimeout(() => this.close('JOIN_TIMEOUT'), JOIN_TIMEOUT_MS);
    this.heartbeat = setInterval(() => this.checkAlive(), deps.limits.heartbeatMs);
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    // A close frame without a code, or 1000 / 1001 (a tab closed, a page left), is a goodbye;
    // anything else (no close frame: the connection died; a client's own code, such as the SDK's
    // while it resumes) leaves the seat held for a return.
    socket.on('close', (code) => this.onClosed(code === 1000 || code === 1001 || code === 1005 ? 'left' : 'dropped'));
    socket.on('error', (error) => this.deps.log.debug({ err: error }, 'signalling socket error'));
  }

  private checkAlive(): void {
    if (!this.alive) {
      this.deps.log.info({ participant: this.membership?.member.participantSid }, 'signalling connection vanished');
      this.socket.terminate();
      this.onClosed('dropped');
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  private send(message: ServerMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A client that does not read what it is sent would make the server hold it all in memory.
    if (this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes) return this.close('SLOW_CONSUMER');
    this.socket.send(JSON.stringify(message));
  }

  /**
   * Over the rate: stop reading the socket until the next message may be taken (TCP then holds
   * the client back), and say so at most once a second. What arrived meanwhile is dropped
   * unanswered: answering every frame of a flood is what let one client fill the server's memory.
   */
  private throttle(data: RawData): void {
    const now = performance.now();
    if (now - this.lastRateLimitedReply >= RATE_LIMITED_REPLY_INTERVAL_MS) {
      this.lastRateLimitedReply = now;
      this.sendError(
        'RATE_LIMITED',
        `At most ${this.deps.limits.messagesPerSecond} messages per second`,
        messageTypeOf(data),
      );
    }
    if (this.socket.isPaused) return;
    this.socket.pause();
    setTimeout(
      () => {
        if (this.state !== 'closed') this.socket.resume();
      },
      Math.max(1, this.bucket.msUntilToken()),
    ).unref();
  }

  private sendError(code: ErrorCode, message?: string, ref?: string): void {
    this.deps.onError(code);
    this.send({ type: 'error', code, message: message ?? ErrorTable[code].message, ...(ref ? { ref } : {}) });
  }

  /** Closes with the error's close code and a reason that starts with its stable code. */
  close(code: ErrorCode, message?: string): void {
    if (this.state === 'closed') return;
    this.deps.onError(code);
    this.socket.close(ErrorTable[code].close, closeReason(code, message));
    this.onClosed('left');
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.state === 'closed') return;
    if (!this.bucket.take()) return this.throttle(data);
    const { maxMessageBytes } = this.deps.limits;
    const size = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : (data as Buffer | ArrayBuffer).byteLength;
    if (size > maxMessageBytes) {
      return this.sendError('MESSAGE_TOO_LARGE', `Messages are limited to ${maxMessageBytes} bytes`);
    }
    if (isBinary) return this.sendError('INVALID_MESSAGE', 'Messages are JSON text, not binary');
    const parsed = parseClientMessage(data.toString(), maxMessageBytes);
    if (!parsed.ok) return this.sendError(parsed.code, parsed.detail, parsed.ref);
    const message = parsed.message;
    if (message.type === 'join') {
      if (this.state !== 'awaiting-join') return this.sendError('ALREADY_JOINED', undefined, 'join');
      void this.join(message);
      return;
    }
    if (message.type === 'ping') {
      return this.send({ type: 'pong', ...(message.id === undefined ? {} : { id: message.id }) });
    }
    // Everything else acts on the room, so it needs a participant in one.
    if (this.state !== 'joined' || !this.membership) return this.sendError('NOT_JOINED', undefined, message.type);
    const { room, member } = this.membership;
    switch (message.type) {
      case 'answer':
        return room.answer(member, message.sdp);
      case 'chat':
        return room.say(member, message.text);
      case 'trackState':
        return room.command(member, { type: 'trackState', trackSid: message.trackSid, enabled: message.enabled });
      case 'publish': {
        const { type: _type, ...track } = message;
        return room.command(member, { type: 'publish', track });
      }
      case 'networkQuality':
        return room.reportNetworkQuality(member, message.stats);
      case 'trackPriority':
        return room.command(member, { type: 'trackPriority', trackSid: message.trackSid, priority: message.priority });
      case 'unpublish':
        return room.command(member, { type: 'unpublish', trackSid: message.trackSid });
      case 'candidate':
        return room.command(member, { type: 'candidate', candidate: message.candidate });
      case 'publishOffer':
        return room.command(member, { type: 'publishOffer', mid: message.mid, sdp: message.sdp });
      case 'bandwidthProfile':
      case 'trackPreferences': {
        const { type: _type, ...preferences } = message;
        return room.command(member, { type: message.type, ...preferences } as ParticipantCommand);
      }
      case 'leave':
        this.socket.close(1000, 'left');
        this.onClosed('left');
        return;
    }
  }

  private async join(message: JoinMessage): Promise<void> {
    this.state = 'joining';
    clearTimeout(this.joinTimer);
    if (message.protocol !== undefined && (message.protocol < 1 || message.protocol > PROTOCOL_VERSION)) {
      return this.close(
        'PROTOCOL_UNSUPPORTED',
        `This server speaks protocols 1 to ${PROTOCOL_VERSION}, not ${message.protocol}`,
      );
    }
    let grant: VerifiedToken;
    try {
      grant = await verifyAccessToken(this.deps.credentials, message.token);
    } catch (error) {
      if (error instanceof HuddleError) return this.close(error.code, error.message);
      throw error;
    }
    if (this.state !== 'joining') return; // the client went away while the token was checked
    const problem = identityProblem(grant.identity);
    if (problem) return this.close('NAME_INVALID', problem);
    if (grant.room !== undefined && message.room !== undefined && message.room !== grant.room) {
      return this.close('ROOM_MISMATCH', `This token is for another room than '${message.room.slice(0, 40)}'`);
    }
    const request = {
      // Neither a room grant nor a name: a room of its own, as twilio-video's connect() without a
      // name (Twilio's quickstart examples start a call so, then invite others by its name).
      roomName: grant.room ?? message.room ?? newSid('RM'),
      identity: grant.identity,
      resume: message.resume,
      resumeSecret: message.resumeSecret,
      tracks: joinTracks(message),
      subscribe: message.subscribe ?? true,
      protocol: message.protocol ?? 1,
    };
    const connect = (participantSid: string, room: Room): RoomMember => {
      const member: RoomMember = {
        sessionId: this.id,
        participantSid,
        identity: grant.identity,
        send: (m) =>
          this.send(
            m.type === 'joined' && this.deps.iceFor ? { ...m, ...this.deps.iceFor(m.localParticipant.identity) } : m,
          ),
        evict: (code) => this.close(code),
        probe: () => this.probe(),
      };
      // Joined before the room lets the member in: anything that ends it from then on leaves the room.
      this.state = 'joined';
      this.membership = { room, member };
      return member;
    };
    let entered = this.deps.rooms.enter(request, connect);
    // The name is held by someone who did not give us its secret: only a member that no longer
    // answers (a crashed tab, a dead link the heartbeat has not caught yet) gives its place up.
    if (!entered.ok && entered.code === 'IDENTITY_IN_USE' && entered.holder) {
      const holder = entered.holder;
      if (!(await holder.probe())) {
        if (this.ended) return;
        this.deps.log.info({ participant: holder.participantSid }, 'identity holder did not answer; replaced');
        holder.evict('DUPLICATE_IDENTITY');
        entered = this.deps.rooms.enter(request, connect);
      }
    }
    if (this.ended) return;
    if (!entered.ok) return this.close(entered.code);
    this.deps.log.debug(
      { participant: entered.member.participantSid, resumed: entered.member.participantSid === message.resume },
      'signalling joined',
    );
  }

  /** Read through a getter so that TypeScript does not narrow it across awaits. */
  private get ended(): boolean {
    return this.state === 'closed';
  }

  /** Pings the client; true if it answers within PROBE_TIMEOUT_MS. */
  private probe(): Promise<boolean> {
    if (this.state === 'closed' || this.socket.readyState !== this.socket.OPEN) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
      const done = (alive: boolean) => {
        clearTimeout(timer);
        this.socket.off('pong', onPong);
        resolve(alive);
      };
      const onPong = () => done(true);
      this.socket.on('pong', onPong);
      this.socket.ping();
    });
  }

  /** `left`: the client said goodbye, or the server ended it; `dropped`: the connection just died. */
  private onClosed(how: 'left' | 'dropped'): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.joinTimer);
    clearInterval(this.heartbeat);
    if (this.membership && how === 'dropped') {
      // The seat is held for a return: this session counts for its address until it goes.
      return this.membership.room.drop(this.membership.member, () => this.onEnded(this));
    }
    this.membership?.room.leave(this.membership.member);
    this.onEnded(this);
  }
}
