/**
 * Who is in which room, as the main process sees it: enforces room capacity and the room count,
 * finds the session an identity's new connection replaces, and keeps participant SIDs unique.
 */
import type { ErrorCode } from '../protocol/errors.js';
import { CHAT_HISTORY_LENGTH, type ChatEntry, type ServerMessage } from '../protocol/messages.js';

export interface DirectoryEntry {
  participantSid: string;
  evict(code: ErrorCode): void;
  send(message: ServerMessage): void;
}

export type Admission = { ok: true; replaces: DirectoryEntry | undefined } | { ok: false; code: ErrorCode };

export class RoomDirectory {
  private readonly rooms = new Map<string, Map<string, DirectoryEntry>>();
  /** The last messages of each room's chat, for people who join later; gone with the room. */
  private readonly chats = new Map<string, ChatEntry[]>();

  constructor(private readonly limits: { roomCapacity: number; maxRooms: number }) {}

  get roomCount(): number {
    return this.rooms.size;
  }

  get participantCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.size;
    return count;
  }

  admit(roomName: string, identity: string): Admission {
    const room = this.rooms.get(roomName);
    if (!room)
      return this.rooms.size >= this.limits.maxRooms
        ? { ok: false, code: 'TOO_MANY_ROOMS' }
        : { ok: true, replaces: undefined };
    const replaces = room.get(identity);
    if (!replaces && room.size >= this.limits.roomCapacity) return { ok: false, code: 'ROOM_FULL' };
    return { ok: true, replaces };
  }

  /** True when another identity in the room already uses this SID (a resume must not take it). */
  sidTaken(roomName: string, identity: string, participantSid: string): boolean {
    for (const [other, entry] of this.rooms.get(roomName) ?? []) {
      if (other !== identity && entry.participantSid === participantSid) return true;
    }
    return false;
  }

  add(roomName: string, identity: string, entry: DirectoryEntry): void {
    const room = this.rooms.get(roomName) ?? new Map<string, DirectoryEntry>();
    this.rooms.set(roomName, room);
    room.set(identity, entry);
  }

  /** Removes the entry only if it is still the identity's current one (a replacement may have taken over). */
  remove(roomName: string, identity: string, entry: DirectoryEntry): void {
    const room = this.rooms.get(roomName);
    if (room?.get(identity) !== entry) return;
    room.delete(identity);
    if (room.size === 0) {
      this.rooms.delete(roomName);
      this.chats.delete(roomName);
    }
  }

  /** Keeps a chat message and sends it to everyone in the room, the sender included. */
  chat(roomName: string, entry: ChatEntry): void {
    const history = this.chats.get(roomName) ?? [];
    history.push(entry);
    if (history.length > CHAT_HISTORY_LENGTH) history.splice(0, history.length - CHAT_HISTORY_LENGTH);
    this.chats.set(roomName, history);
    for (const member of this.rooms.get(roomName)?.values() ?? []) member.send({ type: 'chat', message: entry });
  }

  chatHistory(roomName: string): ChatEntry[] {
    return [...(this.chats.get(roomName) ?? [])];
  }
}
