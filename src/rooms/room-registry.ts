/** Every live room on this server, by name: created on the first admission, forgotten when empty. */

import type { ErrorCode } from '../protocol/errors.js';
import type { TrackRequest } from '../protocol/messages.js';
import type { SfuService } from '../sfu/sfu-service.js';
import { Room, type RoomMember } from './room.js';

export interface RoomLimits {
  /** Participants per room (Twilio's group rooms hold 50). */
  roomCapacity: number;
  maxRooms: number;
  /** How long the room holds the seat of someone whose connection dropped, while they resume. */
  reconnectGraceMs: number;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly sfu: Pick<SfuService, 'openRoom'>,
    private readonly limits: RoomLimits,
  ) {}

  get roomCount(): number {
    return this.rooms.size;
  }

  get participantCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.size;
    return count;
  }

  /**
   * Admission and entry in one step, so nothing can change in between: whether there may be one
   * more room, then the room's own rules (capacity, identity, participant SID). `connect` makes
   * the member once its participant SID is known, just before the room lets it in.
   */
  enter(
    request: {
      roomName: string;
      identity: string;
      resume: string | undefined;
      resumeSecret: string | undefined;
      tracks: TrackRequest[];
      subscribe: boolean;
      protocol: number;
    },
    connect: (participantSid: string, room: Room) => RoomMember,
  ): { ok: true; room: Room; member: RoomMember } | { ok: false; code: ErrorCode; holder?: RoomMember } {
    const existing = this.rooms.get(request.roomName);
    if (!existing && this.rooms.size >= this.limits.maxRooms) return { ok: false, code: 'TOO_MANY_ROOMS' };
    const room = existing ?? this.open(request.roomName);
    const admission = room.admit(request.identity, request.resume, request.resumeSecret);
    if (!admission.ok) return admission;
    const member = connect(admission.participantSid, room);
    room.join(member, { tracks: request.tracks, subscribe: request.subscribe, protocol: request.protocol });
    return { ok: true, room, member };
  }

  private open(roomName: string): Room {
    const room = new Room(roomName, this.sfu, this.limits.roomCapacity, this.limits.reconnectGraceMs);
    room.once('empty', () => {
      if (this.rooms.get(roomName) === room) this.rooms.delete(roomName);
    });
    this.rooms.set(roomName, room);
    return room;
  }
}
