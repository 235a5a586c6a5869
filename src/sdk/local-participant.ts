import type { ParticipantInfo } from '../protocol/messages.js';
import { type LocalParticipantEventMap, ParticipantEvent } from './events.js';
import type { HuddleError } from './huddle-error.js';
import type { LocalMediaTrack, LocalVideoTrack } from './local-track.js';
import type { LocalTrackPublication } from './local-track-publication.js';
import { TypedEmitter } from './typed-emitter.js';

export type LocalParticipantEvents = LocalParticipantEventMap<LocalTrackPublication, LocalMediaTrack>;

/** How LocalParticipant reaches its room to publish (the room owns the connection). */
export interface Publisher {
  publishTrack(track: LocalVideoTrack): Promise<LocalTrackPublication>;
  unpublishTrack(track: LocalMediaTrack): LocalTrackPublication | null;
}

/** This page in the room. */
export class LocalParticipant extends TypedEmitter<LocalParticipantEvents> {
  sid: string;
  readonly identity: string;
  /** By track SID, as the server names them (known once the server's offer carrying each arrived). */
  readonly tracks = new Map<string, LocalTrackPublication>();

  constructor(
    info: ParticipantInfo,
    private readonly publisher: Publisher,
  ) {
    super();
    this.sid = info.sid;
    this.identity = info.identity;
  }

  /**
   * twilio-video's publishTrack: here, a screen share (a LocalVideoTrack named 'screen'). Resolves
   * once the server receives it; rejects (HuddleError PUBLISH_FAILED) when the server refuses it or
   * the room reconnects or disconnects first.
   */
  publishTrack(track: LocalVideoTrack): Promise<LocalTrackPublication> {
    return this.publisher.publishTrack(track);
  }

  /** Stops publishing a screen share; null (and nothing done) for a track that is not published. */
  unpublishTrack(track: LocalMediaTrack): LocalTrackPublication | null {
    return this.publisher.unpublishTrack(track);
  }

  get audioTracks(): Map<string, LocalTrackPublication> {
    return new Map([...this.tracks].filter(([, p]) => p.kind === 'audio'));
  }

  get videoTracks(): Map<string, LocalTrackPublication> {
    return new Map([...this.tracks].filter(([, p]) => p.kind === 'video'));
  }

  /** @internal the server may give a new SID after a reconnection. */
  _setSid(sid: string): void {
    this.sid = sid;
  }

  /** @internal */
  _published(publication: LocalTrackPublication): void {
    this.tracks.set(publication.trackSid, publication);
    this.emit(ParticipantEvent.TrackPublished, publication);
  }

  /** @internal */
  _unpublished(trackSid: string): void {
    this.tracks.delete(trackSid);
  }

  /** @internal */
  _publicationFailed(error: HuddleError, track: LocalMediaTrack): void {
    this.emit(ParticipantEvent.TrackPublicationFailed, error, track);
  }
}
