/**
 * A room, as the server knows it: who is in it, the rules for who may come in, its chat, and the
 * handle of its media on the SFU. Every rule about membership is here: capacity, who may take an
 * identity that is already in the room, and which participant SID a returning participant keeps.
 * Members never hold their room; the room tells its registry it emptied.
 *
 * Unlike Twilio ("a second connection with the same identity replaces the first"), knowing a
 * name is not enough to take it over: each participant SID comes with a secret that only its
 * client is told (in 'joined'), and only a join that brings it back replaces the member or keeps
 * the SID. Anyone else gets IDENTITY_IN_USE while the member is alive; the session checks that.
 *
 * A member whose connection dropped without a goodbye (a lost network, a frozen or killed browser)
 * keeps its seat for the reconnect grace, away: the others hear it is reconnecting, as
 * twilio-video's participantReconnecting, and then that it is back or gone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ErrorCode } from '../protocol/errors.js';
import {
  CHAT_HISTORY_BYTES,
  CHAT_HISTORY_LENGTH,
  type ChatEntry,
  type ServerMessage,
  type TrackRequest,
} from '../protocol/messages.js';
import type { NetworkQualityStats } from '../protocol/network-quality.js';
import { newSid, PARTICIPANT_SID } from '../protocol/sids.js';
import type { MediaRoomHandle, ParticipantCommand, SfuService } from '../sfu/sfu-service.js';
import { NetworkQualityRelay } from './network-quality-relay.js';

/** A participant's signalling session, as its room sees it. */
export interface RoomMember {
  readonly sessionId: string;
  readonly participantSid: string;
  readonly identity: string;
  send(message: ServerMessage): void;
  /** Ends the member's session with this code. */
  evict(code: ErrorCode): void;
  /** Whether the member's client still answers (a WebSocket ping), within a couple of seconds. */
  probe(): Promise<boolean>;
}

export type Admission =
  | { ok: true; participantSid: string; replaces: RoomMember | undefined }
  | { ok: false; code: ErrorCode; holder?: RoomMember };

/**
 * The secret for a participant SID: a MAC of the room, identity and SID under a key this process
 * draws at start, so it needs no state and still holds when the room was emptied and opened
 * again (a media worker that restarted ends every session at once).
 */
const RESUME_KEY = randomBytes(32);
function resumeSecretFor(room: string, identity: string, participantSid: string): Buffer {
  return createHmac('sha256', RESUME_KEY).update(`${room}\n${identity}\n${participantSid}`).digest().subarray(0, 18);
}

function secretMatches(expected: Buffer, secret: string | undefined): boolean {
  if (secret === undefined) return false;
  const given = Buffer.from(secret, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class Room extends EventEmitter<{ empty: [] }> {
  readonly sid = newSid('RM');
  /** By identity: an identity is in a room at most once. */
  private readonly members = new Map<string, RoomMember>();
  /** The last messages of the chat, for people who join later. */
  private readonly chat: ChatEntry[] = [];
  private chatBytes = 0;
  private readonly media: MediaRoomHandle;
  private readonly quality = new NetworkQualityRelay(() => this.members.values());
  /** Members whose connection dropped: the timer that gives each seat up, and whom to tell when it goes. */
  private readonly away = new Map<RoomMember, { timer: NodeJS.Timeout; released: () => void }>();

  constructor(
    readonly name: string,
    sfu: Pick<SfuService, 'openRoom'>,
    private readonly capacity: number,
    /** How long an away member's seat is held (0: its drop is a leave). */
    private readonly reconnectGraceMs = 0,
  ) {
    super();
    this.media = sfu.openRoom({ sid: this.sid, name });
  }

  get size(): number {
    return this.members.size;
  }

  /**
   * Whether this identity may join, and with which participant SID. A returning participant
   * (`resume`, the SID it had, with the secret it was given) keeps it and replaces its old
   * session if that is still here; without the secret, an identity in the room is refused
   * (IDENTITY_IN_USE, naming the holder so the caller can check it is still alive).
   */
  admit(identity: string, resume: string | undefined, secret: string | undefined): Admission {
    const returning =
      resume !== undefined &&
      PARTICIPANT_SID.test(resume) &&
      secretMatches(resumeSecretFor(this.name, identity, resume), secret) &&
      ![...this.members.values()].some((m) => m.identity !== identity && m.participantSid === resume);
    const holder = this.members.get(identity);
    // An away member answers no one, so its seat goes to whoever brings the identity; only the
    // secret keeps the SID (and so the tracks the others know).
    if (holder && !this.away.has(holder) && !(returning && holder.participantSid === resume)) {
      return { ok: false, code: 'IDENTITY_IN_USE', holder };
    }
    if (!holder && this.members.size >= this.capacity) return { ok: false, code: 'ROOM_FULL' };
    return { ok: true, participantSid: returning ? resume! : newSid('PA'), replaces: holder };
  }

  /** Brings an admitted member in, in place of the one it replaces (whose media leaves first). */
  join(member: RoomMember, media: { tracks: TrackRequest[]; subscribe: boolean; protocol: number }): void {
    const replaced = this.members.get(member.identity);
    // The newcomer is the identity's member before the old one is told: the old session's own
    // leave then finds itself replaced and does nothing, so the room never looks empty meanwhile.
    this.members.set(member.identity, member);
    if (replaced) {
      this.quality.forget(replaced);
      const resuming = replaced.participantSid === member.participantSid;
      const away = this.away.get(replaced);
      if (away) {
        this.release(replaced);
        // Its media has already left; someone else taking the name is a departure.
        if (!resuming) this.media.depart(replaced.participantSid);
      } else {
        // A client that resumes before the server saw its old connection drop: the others see it
        // reconnect, not leave and join.
        this.media.leave(replaced.sessionId, resuming);
      }
      replaced.evict('DUPLICATE_IDENTITY');
    }
    const { sessionId, participantSid, identity } = member;
    const resumeSecret = resumeSecretFor(this.name, identity, participantSid).toString('base64url');
    this.media.join(
      { sessionId, participantSid, identity, ...media },
      {
        send: (message) => {
          if (message.type !== 'joined') return member.send(message);
          member.send({ ...message, resumeSecret });
          // The chat so far follows the admission, before anything else of the room.
          member.send({ type: 'chatHistory', messages: [...this.chat] });
          this.quality.greet(member);
        },
        evict: (code) => {
          // The room's media is gone with its worker: every seat held for an away member is too
          // (they come back, as everyone else, to a new room).
          if (code === 'MEDIA_RESTARTING') this.releaseAway();
          member.evict(code);
        },
      },
    );
  }

  /** Only the identity's current member leaves: a replacement may already have taken its place. */
  leave(member: RoomMember): void {
    if (this.members.get(member.identity) !== member) return;
    this.members.delete(member.identity);
    if (this.away.has(member)) {
      this.release(member);
      this.media.depart(member.participantSid);
    } else {
      this.quality.forget(member);
      this.media.leave(member.sessionId);
    }
    this.closeIfEmpty();
  }

  /**
   * The member's connection ended without a goodbye: it is away, its media gone, its seat held
   * while its client resumes (a join with its SID and secret), and given up after the grace.
   * `released` is called once the seat is no longer held (resumed, taken, or given up): until
   * then the session still counts as one of its address's connections, so dropping connections
   * holds no more seats than keeping them open would.
   */
  drop(member: RoomMember, released: () => void): void {
    if (this.members.get(member.identity) !== member || this.away.has(member) || this.reconnectGraceMs === 0) {
      this.leave(member);
      return released();
    }
    this.quality.forget(member);
    this.media.leave(member.sessionId, true);
    const timer = setTimeout(() => this.leave(member), this.reconnectGraceMs);
    timer.unref();
    this.away.set(member, { timer, released });
  }

  /** The away member's seat is no longer held for it. */
  private release(member: RoomMember): void {
    const away = this.away.get(member);
    if (!away) return;
    clearTimeout(away.timer);
    this.away.delete(member);
    away.released();
  }

  private releaseAway(): void {
    for (const member of [...this.away.keys()]) this.leave(member);
  }

  private closeIfEmpty(): void {
    if (this.members.size > 0) return;
    this.media.close();
    this.emit('empty');
  }

  answer(member: RoomMember, sdp: string): void {
    if (this.members.get(member.identity) === member) this.media.answer(member.sessionId, sdp);
  }

  command(member: RoomMember, command: ParticipantCommand): void {
    if (this.members.get(member.identity) === member) this.media.command(member.sessionId, command);
  }

  /** What a member's browser measured of its network, for everyone else. */
  reportNetworkQuality(member: RoomMember, stats: NetworkQualityStats): void {
    if (this.members.get(member.identity) === member) this.quality.report(member, stats);
  }

  /** Keeps a chat message and sends it to everyone in the room, the sender included. */
  say(member: RoomMember, text: string, at = Date.now()): void {
    const entry: ChatEntry = { participantSid: member.participantSid, identity: member.identity, text, at };
    this.chat.push(entry);
    this.chatBytes += Buffer.byteLength(entry.text) + Buffer.byteLength(entry.identity);
    // The last 100 messages, or fewer when they are long: newcomers get the history in one message.
    while (this.chat.length > CHAT_HISTORY_LENGTH || this.chatBytes > CHAT_HISTORY_BYTES) {
      const dropped = this.chat.shift()!;
      this.chatBytes -= Buffer.byteLength(dropped.text) + Buffer.byteLength(dropped.identity);
    }
    for (const other of this.members.values()) other.send({ type: 'chat', message: entry });
  }
}
