/**
 * The media of one room: who is connected, who receives whom, and who is speaking. Admission is
 * decided before a participant gets here (src/rooms); this module only carries the media of the
 * participants it is given, and tells their sessions what changed.
 */
import type { Logger } from 'pino';
import { type ErrorCode, ErrorTable } from '../protocol/errors.js';
import {
  MAX_PUBLISHED_TRACKS,
  type ParticipantInfo,
  type ServerMessage,
  type TrackPriority,
  type TrackRequest,
} from '../protocol/messages.js';
import { LoudestSpeakers } from './audio/loudest-speakers.js';
import type { MediaEngine } from './engine/media-engine.js';
import type { PublishPeer } from './engine/publish-peer.js';
import { MediaParticipant } from './media-participant.js';
import type { ForwardingCounters } from './publication.js';
import type { MediaJoin, ParticipantCommand, SessionSignals } from './sfu-service.js';
import { loudestSpeaker, SPEAKER_INTERVAL_MS } from './speaker-detector.js';

/** Transport feedback is due every 100 ms, NACK retries every round trip (at least 20 ms): a 50 ms beat serves both, and wakes the worker half as often as 25 did. */
const RTCP_TICK_MS = 50;
/** Every audio or video track published adds a line to the publisher's SDP for the rest of its session. */
const MAX_TRACKS_PER_SESSION = 64;

/** How every room of a server carries media (settings, the same for each room). */
export interface MediaPolicy {
  /** How many speakers each subscriber hears at most (audio last-N, HUDDLE_AUDIO_LAST_N; 0: everyone). */
  audioLastN: number;
}

export interface MediaRoomContext extends MediaPolicy {
  engine: MediaEngine;
  /** Server-wide forwarding counters, shared by every room so a departed participant still counts. */
  forwarded: ForwardingCounters;
  log: Logger;
}

export class MediaRoom {
  private readonly participants = new Map<string, MediaParticipant>();
  private readonly sessions = new Map<string, MediaParticipant>();
  /**
   * Participants whose connection dropped and whose seat the room holds while they resume, by
   * SID: what the others were last told of them, for newcomers and for their return.
   */
  private readonly away = new Map<string, ParticipantInfo>();
  private dominantSpeaker: string | null = null;
  /** Which microphones each subscriber hears, in a room with more than audioLastN of them. */
  private readonly speakers: LoudestSpeakers;
  private readonly speakerTimer: NodeJS.Timeout;
  /** RTCP that is due (feedback to publishers, reports to subscribers) goes out on this beat. */
  private readonly rtcpTimer: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly sid: string,
    readonly name: string,
    private readonly context: MediaRoomContext,
  ) {
    this.speakers = new LoudestSpeakers(context.audioLastN);
    this.speakerTimer = setInterval(() => this.detectSpeaker(), SPEAKER_INTERVAL_MS);
    this.speakerTimer.unref();
    this.rtcpTimer = setInterval(() => {
      const now = performance.now();
      this.speakers.rank(now);
      for (const participant of this.participants.values()) participant.tick(now, this.dominantSpeaker);
    }, RTCP_TICK_MS);
    this.rtcpTimer.unref();
  }

  get size(): number {
    return this.participants.size;
  }

  join(request: MediaJoin, signals: SessionSignals): void {
    if (this.closed) return signals.evict('MEDIA_FAILED');
    const { engine, forwarded, log } = this.context;
    // Every connection has an SCTP line from its first offer, for data tracks (it cannot be added later).
    const peer = engine.createPeer(request.participantSid, { data: true });
    const joiner = new MediaParticipant(request.participantSid, request.identity, peer, signals, log, forwarded, {
      tracks: request.tracks,
      subscribe: request.subscribe,
      candidatesAfterAnswer: request.protocol >= 2,
      reconnectEvents: request.protocol >= 3,
      speakers: this.speakers,
    });
    peer.onStateChange((state) => {
      if (state !== 'failed' && state !== 'closed') return;
      if (this.sessions.get(request.sessionId) !== joiner) return;
      log.info({ participant: joiner.sid, state }, 'media connection lost');
      this.leave(request.sessionId);
      joiner.signals.evict('MEDIA_FAILED');
    });
    peer.onConnectTimeout(() => {
      if (this.sessions.get(request.sessionId) !== joiner) return;
      log.info({ participant: joiner.sid }, 'media did not connect in time');
      this.leave(request.sessionId);
      joiner.signals.evict('MEDIA_TIMEOUT');
    });

    const others = [...this.participants.values()];
    const returning = this.away.delete(joiner.sid);
    const awayList = [...this.away.values()].map((info) => ({ ...info, state: 'reconnecting' as const }));
    signals.send({
      type: 'joined',
      room: { sid: this.sid, name: this.name },
      localParticipant: joiner.info(),
      participants: [...others.map((p) => p.info()), ...(joiner.hearsReconnections ? awayList : [])],
    });
    this.participants.set(joiner.sid, joiner);
    this.sessions.set(request.sessionId, joiner);
    for (const other of others) {
      other.signals.send(
        returning && other.hearsReconnections
          ? { type: 'participantReconnected', participant: joiner.info() }
          : { type: 'participantConnected', participant: joiner.info() },
      );
      if (joiner.receives) joiner.subscribe(other);
      if (other.receives) other.subscribe(joiner);
      void other.negotiate();
    }
    void joiner.negotiate();
    if (this.dominantSpeaker !== null) signals.send({ type: 'dominantSpeaker', participantSid: this.dominantSpeaker });
    log.info({ room: this.sid, participant: joiner.sid, participants: this.participants.size }, 'participant joined');
  }

  answer(sessionId: string, sdp: string): void {
    const participant = this.sessions.get(sessionId);
    if (!participant) return;
    try {
      participant.acceptAnswer(sdp);
    } catch (error) {
      participant.signals.send({
        type: 'error',
        code: 'NEGOTIATION_FAILED',
        message: error instanceof Error ? error.message : String(error),
        ref: 'answer',
      });
    }
  }

  command(sessionId: string, command: ParticipantCommand): void {
    const participant = this.sessions.get(sessionId);
    if (!participant) return;
    switch (command.type) {
      case 'trackState':
        this.setTrackEnabled(participant, command.trackSid, command.enabled);
        return;
      case 'publish':
        this.publish(participant, command.track);
        return;
      case 'trackPriority':
        this.setTrackPriority(participant, command.trackSid, command.priority);
        return;
      case 'unpublish':
        this.unpublish(participant, command.trackSid);
        return;
      case 'candidate':
        participant.addRemoteCandidate(command.candidate);
        return;
      case 'publishOffer':
        this.publishLayers(participant, command.mid, command.sdp);
        return;
      case 'bandwidthProfile': {
        const { type: _type, ...profile } = command;
        participant.setBandwidthProfile(profile);
        return;
      }
      case 'trackPreferences': {
        const { type: _type, trackSid, ...preferences } = command;
        if (!participant.setPreferences(trackSid, preferences)) {
          this.refuse(participant, 'TRACK_NOT_FOUND', 'No such track is received', 'trackPreferences');
        }
        return;
      }
    }
  }

  /**
   * The participant sends the video of one of its lines in simulcast layers, on a connection of
   * its own that it offers: the SFU answers it (see engine/publish-peer.ts).
   */
  private publishLayers(participant: MediaParticipant, mid: string, sdp: string): void {
    if (!participant.publications.some((p) => p.mid === mid && p.kind === 'video')) {
      return this.refuse(participant, 'TRACK_NOT_FOUND', 'No video is published on that line', 'publishOffer');
    }
    let peer: PublishPeer;
    try {
      peer = this.context.engine.createPublishPeer(`${participant.sid}-${mid}`, sdp);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.refuse(
        participant,
        'NEGOTIATION_FAILED',
        `The publish offer was refused: ${message}`,
        'publishOffer',
      );
    }
    participant.receiveLayers(mid, peer);
    peer.answer.then(
      (answer) => {
        if (!peer.isClosed) participant.signals.send({ type: 'publishAnswer', mid, sdp: answer });
      },
      (error: unknown) => this.context.log.warn({ err: error, participant: participant.sid }, 'no publish answer'),
    );
  }

  /**
   * Ends a participant's media. Idempotent: leaving twice, or after the room closed, does nothing.
   * `away`: their connection dropped and the room holds their seat while they resume; the others
   * hear they are reconnecting, and later that they are back (join) or gone (depart).
   */
  leave(sessionId: string, away = false): void {
    const participant = this.sessions.get(sessionId);
    if (!participant) return;
    this.sessions.delete(sessionId);
    this.participants.delete(participant.sid);
    if (away && !this.closed) this.away.set(participant.sid, participant.info());
    for (const other of this.participants.values()) {
      other.unsubscribe(participant);
      other.signals.send(this.departure(participant.sid, other, away));
    }
    participant.close();
    this.context.log.info(
      { room: this.sid, participant: participant.sid, participants: this.participants.size, away },
      away ? 'participant reconnecting' : 'participant left',
    );
  }

  /** Someone who was away did not come back in time: their seat is given up. */
  depart(participantSid: string): void {
    if (!this.away.delete(participantSid)) return;
    for (const other of this.participants.values()) {
      // Older clients were told they left when they went away.
      if (other.hearsReconnections) other.signals.send({ type: 'participantDisconnected', participantSid });
    }
    this.context.log.info({ room: this.sid, participant: participantSid }, 'participant left (did not resume)');
  }

  /** What one of the others hears when a participant's media ends. */
  private departure(participantSid: string, other: MediaParticipant, away: boolean): ServerMessage {
    return away && other.hearsReconnections
      ? { type: 'participantReconnecting', participantSid }
      : { type: 'participantDisconnected', participantSid };
  }

  /** Ends every participant's media (the room emptied, or the server stops). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.speakerTimer);
    clearInterval(this.rtcpTimer);
    for (const sessionId of [...this.sessions.keys()]) this.leave(sessionId);
  }

  /** Tells a participant its message was refused: every refused message gets an answer. */
  private refuse(
    participant: MediaParticipant,
    code: ErrorCode,
    message: string | undefined,
    ref: string,
    track?: string,
  ): void {
    const text = message ?? ErrorTable[code].message;
    participant.signals.send({ type: 'error', code, message: text, ref, ...(track === undefined ? {} : { track }) });
  }

  /** Publishes one more track (a screen share, another camera): everyone else gets a line for it. */
  private publish(participant: MediaParticipant, track: TrackRequest): void {
    if (participant.hasTrackNamed(track.name)) {
      return this.refuse(participant, 'TRACK_NAME_DUPLICATED', undefined, 'publish', track.name);
    }
    if (participant.publishedCount >= MAX_PUBLISHED_TRACKS || participant.tracksStarted >= MAX_TRACKS_PER_SESSION) {
      return this.refuse(
        participant,
        'TOO_MANY_TRACKS',
        `At most ${MAX_PUBLISHED_TRACKS} tracks at once and ${MAX_TRACKS_PER_SESSION} per connection`,
        'publish',
        track.name,
      );
    }
    const publication = participant.publish(track);
    if (publication.kind === 'data') {
      // No line to negotiate: the SID answers the publish, and the channels open on their own.
      participant.signals.send({ type: 'dataTrackPublished', trackSid: publication.sid, name: publication.name });
      for (const other of this.othersThan(participant)) {
        if (other.receives) other.subscribeTo(participant, publication);
        other.signals.send({ type: 'trackPublished', participantSid: participant.sid, track: publication.info() });
      }
      return;
    }
    for (const other of this.othersThan(participant)) {
      if (other.receives) other.subscribeTo(participant, publication);
      other.signals.send({ type: 'trackPublished', participantSid: participant.sid, track: publication.info() });
      void other.negotiate();
    }
    void participant.negotiate();
  }

  private unpublish(participant: MediaParticipant, trackSid: string): void {
    const publication = participant.unpublish(trackSid);
    if (!publication) return this.refuse(participant, 'TRACK_NOT_FOUND', undefined, 'unpublish');
    for (const other of this.othersThan(participant)) {
      other.unsubscribeFrom(publication);
      other.signals.send({ type: 'trackUnpublished', participantSid: participant.sid, trackSid });
    }
  }

  /** The publisher's priority for a track: kept with it, and everyone is told. */
  private setTrackPriority(participant: MediaParticipant, trackSid: string, priority: TrackPriority): void {
    const publication =
      participant.publications.find((p) => p.sid === trackSid) ??
      participant.data.publications.find((p) => p.sid === trackSid);
    if (!publication) return this.refuse(participant, 'TRACK_NOT_FOUND', undefined, 'trackPriority');
    if (publication.priority === priority) return;
    publication.priority = priority;
    for (const other of this.othersThan(participant)) {
      other.signals.send({ type: 'trackPriority', participantSid: participant.sid, trackSid, priority });
    }
  }

  /** Mute or unmute: nothing of a disabled track is forwarded, and everyone is told. */
  private setTrackEnabled(participant: MediaParticipant, trackSid: string, enabled: boolean): void {
    const publication = participant.publications.find((p) => p.sid === trackSid);
    if (!publication) return this.refuse(participant, 'TRACK_NOT_FOUND', undefined, 'trackState');
    if (publication.enabled === enabled) return;
    publication.enabled = enabled;
    for (const other of this.othersThan(participant)) {
      other.signals.send({ type: 'trackState', participantSid: participant.sid, trackSid, enabled });
    }
  }

  private othersThan(participant: MediaParticipant): MediaParticipant[] {
    return [...this.participants.values()].filter((p) => p !== participant);
  }

  /** Tells everyone when the loudest unmuted microphone changes hands. */
  private detectSpeaker(): void {
    const levels = new Map<string, number>();
    for (const participant of this.participants.values()) {
      const microphone = participant.publications.find((p) => p.kind === 'audio');
      if (microphone) levels.set(participant.sid, microphone.enabled ? microphone.levels.take() : 0);
    }
    // A speaker who left is no one's: the next silence reads as nobody speaking.
    const current =
      this.dominantSpeaker !== null && this.participants.has(this.dominantSpeaker) ? this.dominantSpeaker : null;
    const next = loudestSpeaker(levels, current);
    if (next === this.dominantSpeaker) return;
    this.dominantSpeaker = next;
    for (const participant of this.participants.values()) {
      participant.signals.send({ type: 'dominantSpeaker', participantSid: next });
    }
  }
}
