/**
 * A room, as the server knows it: who is in it, the rules for who may come in, its chat, and the
 * handle of its media on the SFU. Every rule about membership is here: capacity, Twilio's "a second
 * connection with the same identity replaces the first", and which participant SID a returning
 * participant keeps. Members never hold their room; the room tells its registry it emptied.
 */
import { EventEmitter } from 'node:events';
import type { ErrorCode } from '../protocol/errors.js';
import { CHAT_HISTORY_BYTES, CHAT_HISTORY_LENGTH, type ChatEntry, type ServerMessage } from '../protocol/messages.js';
import { newSid, PARTICIPANT_SID } from '../protocol/sids.js';
import type { MediaRoomHandle, ParticipantCommand, SfuService } from '../sfu/sfu-service.js';

/** A participant's signalling session, as its room sees it. */
export interface RoomMember {
  readonly sessionId: string;
  readonly participantSid: string;
  readonly identity: string;
  send(message: ServerMessage): void;
  /** Ends the member's session with this code. */
  evict(code: ErrorCode): void;
}

export type Admission =
  | { ok: true; participantSid: string; replaces: RoomMember | undefined }
  | { ok: false; code: ErrorCode };

export class Room extends EventEmitter<{ empty: [] }> {
  readonly sid = newSid('RM');
  /** By identity: an identity is in a room at most once. */
  private readonly members = new Map<string, RoomMember>();
  /** The last messages of the chat, for people who join later. */
  private readonly chat: ChatEntry[] = [];
  private chatBytes = 0;
  private readonly media: MediaRoomHandle;

  constructor(
    readonly name: string,
    sfu: Pick<SfuService, 'openRoom'>,
    private readonly capacity: number,
  ) {
    super();
    this.media = sfu.openRoom({ sid: this.sid, name });
  }

  get size(): number {
    return this.members.size;
  }

  /**
   * Whether this identity may join, and with which participant SID. A returning participant
   * (`resume`, the SID it had) keeps it unless another identity holds it, so the others keep
   * seeing the same participant; anyone else gets a new one.
   */
  admit(identity: string, resume: string | undefined): Admission {
    const replaces = this.members.get(identity);
    if (!replaces && this.members.size >= this.capacity) return { ok: false, code: 'ROOM_FULL' };
    const taken = [...this.members.values()].some((m) => m.identity !== identity && m.participantSid === resume);
    const resumable = resume !== undefined && PARTICIPANT_SID.test(resume) && !taken;
    return { ok: true, participantSid: resumable ? resume : newSid('PA'), replaces };
  }

  /** Brings an admitted member in, in place of the one it replaces (whose media leaves first). */
  join(member: RoomMember, media: { publish: { audio: boolean; video: boolean }; protocol: number }): void {
    const replaced = this.members.get(member.identity);
    // The newcomer is the identity's member before the old one is told: the old session's own
    // leave then finds itself replaced and does nothing, so the room never looks empty meanwhile.
    this.members.set(member.identity, member);
    if (replaced) {
      this.media.leave(replaced.sessionId);
      replaced.evict('DUPLICATE_IDENTITY');
    }
    const { sessionId, participantSid, identity } = member;
    this.media.join(
      { sessionId, participantSid, identity, ...media },
      {
        send: (message) => {
          member.send(message);
          // The chat so far follows the admission, before anything else of the room.
          if (message.type === 'joined') member.send({ type: 'chatHistory', messages: [...this.chat] });
        },
        evict: (code) => member.evict(code),
      },
    );
  }

  /** Only the identity's current member leaves: a replacement may already have taken its place. */
  leave(member: RoomMember): void {
    if (this.members.get(member.identity) !== member) return;
    this.members.delete(member.identity);
    this.media.leave(member.sessionId);
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
