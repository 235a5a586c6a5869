import type { ParticipantInfo, PublishedKind, TrackInfo, TrackPriority } from '../protocol/messages.js';
import { ParticipantEvent, type RemoteParticipantEventMap, TrackPublicationEvent } from './events.js';
import { Participant } from './participant.js';
import type { RemoteDataTrack } from './remote-data-track.js';
import type { RemoteTrack } from './remote-track.js';
import { RemoteTrackPublication } from './remote-track-publication.js';
import { relayTrackEvents } from './track-relay.js';

export type RemoteParticipantEvents = RemoteParticipantEventMap<
  RemoteParticipant,
  RemoteTrack | RemoteDataTrack,
  RemoteTrackPublication
>;

/** Someone else in the room, with the tracks they publish (by track SID). */
export class RemoteParticipant extends Participant<RemoteParticipantEvents> {
  readonly tracks = new Map<string, RemoteTrackPublication>();
  /** What stops repeating each subscribed media track's events as this participant's. */
  private readonly relays = new Map<RemoteTrack, () => void>();
  /** state: 'reconnecting' while the server holds their seat for them to resume. */
  constructor(info: ParticipantInfo) {
    super(info.sid, info.identity);
    for (const t of info.tracks) this.tracks.set(t.sid, RemoteTrackPublication.fromInfo(t));
    if (info.state === 'reconnecting') this.state = 'reconnecting';
  }

  get audioTracks(): Map<string, RemoteTrackPublication<RemoteTrack>> {
    return this.ofKind('audio');
  }

  get videoTracks(): Map<string, RemoteTrackPublication<RemoteTrack>> {
    return this.ofKind('video');
  }

  get dataTracks(): Map<string, RemoteTrackPublication<RemoteDataTrack>> {
    return this.ofKind('data');
  }

  /** The publications of one kind: their tracks are of that kind's class. */
  private ofKind<T extends RemoteTrack | RemoteDataTrack>(kind: PublishedKind): Map<string, RemoteTrackPublication<T>> {
    return new Map([...this.tracks].filter(([, p]) => p.kind === kind)) as Map<string, RemoteTrackPublication<T>>;
  }

  /** @internal the room calls this when the track's media line appears. */
  _subscribed(publication: RemoteTrackPublication, track: RemoteTrack | RemoteDataTrack): void {
    if (publication.track) return;
    publication._subscribed(track);
    if (track.kind === 'data') track.on('message', (data) => this.emit(ParticipantEvent.TrackMessage, data, track));
    else
      this.relays.set(
        track,
        relayTrackEvents(track, {
          started: () => this.emit(ParticipantEvent.TrackStarted, track),
          dimensionsChanged: () => this.emit(ParticipantEvent.TrackDimensionsChanged, track),
          switchedOff: () => {
            publication.emit(TrackPublicationEvent.TrackSwitchedOff, track);
            this.emit(ParticipantEvent.TrackSwitchedOff, track, publication);
          },
          switchedOn: () => {
            publication.emit(TrackPublicationEvent.TrackSwitchedOn, track);
            this.emit(ParticipantEvent.TrackSwitchedOn, track, publication);
          },
        }),
      );
    this.emit(ParticipantEvent.TrackSubscribed, track, publication);
  }

  /** @internal */
  _published(info: TrackInfo): RemoteTrackPublication {
    const publication = RemoteTrackPublication.fromInfo(info);
    this.tracks.set(info.sid, publication);
    this.emit(ParticipantEvent.TrackPublished, publication);
    return publication;
  }

  /** @internal */
  _unpublished(trackSid: string): RemoteTrackPublication | undefined {
    const publication = this.tracks.get(trackSid);
    if (!publication) return undefined;
    this.unsubscribe(publication);
    this.tracks.delete(trackSid);
    this.emit(ParticipantEvent.TrackUnpublished, publication);
    return publication;
  }

  /** @internal */
  _setTrackEnabled(trackSid: string, enabled: boolean): RemoteTrackPublication | undefined {
    const publication = this.tracks.get(trackSid);
    if (!publication?._setEnabled(enabled)) return undefined;
    this.emit(enabled ? ParticipantEvent.TrackEnabled : ParticipantEvent.TrackDisabled, publication);
    return publication;
  }

  /** @internal */
  _setTrackPriority(trackSid: string, priority: TrackPriority): void {
    const publication = this.tracks.get(trackSid);
    if (publication?._setPublishPriority(priority))
      this.emit(ParticipantEvent.TrackPublishPriorityChanged, priority, publication);
  }

  /** @internal after a reconnection: publications follow the server's list. */
  _updateTracks(tracks: TrackInfo[]): void {
    const present = new Set(tracks.map((t) => t.sid));
    for (const [sid, publication] of this.tracks) {
      if (present.has(sid)) continue;
      this.unsubscribe(publication);
      this.tracks.delete(sid);
    }
    for (const t of tracks) {
      if (!this.tracks.has(t.sid)) this.tracks.set(t.sid, RemoteTrackPublication.fromInfo(t));
      else {
        this._setTrackEnabled(t.sid, t.enabled);
        this._setTrackPriority(t.sid, t.priority ?? 'standard');
      }
    }
  }

  /** @internal */
  _unsubscribeAll(): void {
    for (const publication of this.tracks.values()) this.unsubscribe(publication);
  }

  private unsubscribe(publication: RemoteTrackPublication): void {
    const track = publication._unsubscribed();
    if (!track) return;
    if (track.kind !== 'data') {
      this.relays.get(track)?.();
      this.relays.delete(track);
    }
    this.emit(ParticipantEvent.TrackUnsubscribed, track, publication);
  }
}
