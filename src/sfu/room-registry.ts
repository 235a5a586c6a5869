import type { Logger } from 'pino';
import type { MediaEngine } from './media-engine.js';
import { Participant, type ParticipantSignals } from './participant.js';
import type { ForwardingCounters } from './publication.js';
import { Room } from './room.js';

export interface JoinRequest {
  /** Chosen by the caller, so a participant keeps its SID across a media restart. */
  participantSid: string;
  identity: string;
  roomName: string;
  publish: { audio: boolean; video: boolean };
  signals: ParticipantSignals;
}

/** Every live room on this server; creates a room on first join and forgets it when it empties. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /** Shared by every publication, so what a departed participant forwarded is still counted. */
  private readonly forwarded: ForwardingCounters = { packets: 0, bytes: 0 };

  constructor(
    private readonly engine: MediaEngine,
    private readonly log: Logger,
  ) {}

  get roomCount(): number {
    return this.rooms.size;
  }

  get participantCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.participants.size;
    return count;
  }

  join(request: JoinRequest): Participant {
    let room = this.rooms.get(request.roomName);
    if (!room) {
      room = new Room(request.roomName, this.forwarded);
      this.rooms.set(room.name, room);
      this.log.info({ room: room.sid }, 'room created');
    }
    // Twilio's rule: a second connection with the same identity replaces the first.
    const previous = room.findByIdentity(request.identity);
    if (previous) {
      this.leave(previous);
      previous.signals.evict('DUPLICATE_IDENTITY');
    }

    const peer = this.engine.createPeer(request.participantSid);
    const joiner = new Participant(
      request.participantSid,
      request.identity,
      room,
      peer,
      request.signals,
      this.log,
      request.publish,
    );
    peer.onStateChange((state) => {
      if (state !== 'failed' && state !== 'closed') return;
      if (!room.participants.has(joiner.sid)) return;
      this.log.info({ participant: joiner.sid, state }, 'media connection lost');
      this.leave(joiner);
      joiner.signals.evict('MEDIA_FAILED');
    });

    const others = [...room.participants.values()];
    request.signals.send({
      type: 'joined',
      room: { sid: room.sid, name: room.name },
      localParticipant: joiner.info(),
      participants: others.map((p) => p.info()),
    });
    room.participants.set(joiner.sid, joiner);
    for (const other of others) {
      other.signals.send({ type: 'participantConnected', participant: joiner.info() });
      joiner.subscribe(other);
      other.subscribe(joiner);
      void other.negotiate();
    }
    void joiner.negotiate();
    if (room.dominantSpeaker !== null)
      request.signals.send({ type: 'dominantSpeaker', participantSid: room.dominantSpeaker });
    this.log.info(
      { room: room.sid, participant: joiner.sid, participants: room.participants.size },
      'participant joined',
    );
    return joiner;
  }

  /** Starts a screen share: everyone else gets a line for it. */
  publishScreen(participant: Participant): void {
    if (!participant.room.participants.has(participant.sid)) return;
    const publication = participant.publishScreen();
    for (const other of this.othersIn(participant)) {
      other.subscribeTo(participant, publication);
      other.signals.send({ type: 'trackPublished', participantSid: participant.sid, track: publication.info() });
      void other.negotiate();
    }
    void participant.negotiate();
  }

  unpublish(participant: Participant, trackSid: string): void {
    const publication = participant.unpublish(trackSid);
    if (!publication) return;
    for (const other of this.othersIn(participant)) {
      other.unsubscribeFrom(publication);
      other.signals.send({ type: 'trackUnpublished', participantSid: participant.sid, trackSid });
    }
  }

  /** Mute or unmute: nothing of a disabled track is forwarded, and everyone is told. */
  setTrackEnabled(participant: Participant, trackSid: string, enabled: boolean): void {
    const publication = participant.publications.find((p) => p.sid === trackSid);
    if (!publication || publication.enabled === enabled) return;
    publication.enabled = enabled;
    for (const other of this.othersIn(participant)) {
      other.signals.send({ type: 'trackState', participantSid: participant.sid, trackSid, enabled });
    }
  }

  private othersIn(participant: Participant): Participant[] {
    return [...participant.room.participants.values()].filter((p) => p !== participant);
  }

  /** Idempotent: removing a participant twice, or after its room emptied, does nothing. */
  leave(participant: Participant): void {
    const room = participant.room;
    if (!room.participants.delete(participant.sid)) return;
    for (const other of room.participants.values()) {
      other.unsubscribe(participant);
      other.signals.send({ type: 'participantDisconnected', participantSid: participant.sid });
    }
    participant.close();
    this.log.info(
      { room: room.sid, participant: participant.sid, participants: room.participants.size },
      'participant left',
    );
    if (room.participants.size === 0 && this.rooms.get(room.name) === room) {
      room.close();
      this.rooms.delete(room.name);
      this.log.info({ room: room.sid }, 'room closed');
    }
  }

  /** Packets and bytes forwarded since the last call. */
  takeForwardedCounts(): ForwardingCounters {
    const taken = { ...this.forwarded };
    this.forwarded.packets = 0;
    this.forwarded.bytes = 0;
    return taken;
  }

  /** Ends every session (server shutdown). */
  closeAll(): void {
    for (const room of [...this.rooms.values()]) {
      for (const participant of [...room.participants.values()]) {
        this.leave(participant);
        participant.signals.evict('SERVER_SHUTTING_DOWN');
      }
    }
  }
}
