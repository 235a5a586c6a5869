import type { ParticipantInfo, TrackInfo, TrackKind } from '../protocol/messages.js';
import type { LocalMediaTrack, LocalVideoTrack, RemoteTrack } from './track.js';
import { TypedEmitter } from './typed-emitter.js';

export enum ParticipantEvent {
  TrackSubscribed = 'trackSubscribed',
  TrackUnsubscribed = 'trackUnsubscribed',
  TrackPublished = 'trackPublished',
  TrackUnpublished = 'trackUnpublished',
  TrackDisabled = 'trackDisabled',
  TrackEnabled = 'trackEnabled',
}

/** A track a remote participant publishes; `track` is set while this page receives it. */
export class RemoteTrackPublication {
  track: RemoteTrack | null = null;
  isTrackEnabled: boolean;

  constructor(
    readonly trackSid: string,
    readonly kind: TrackKind,
    readonly trackName: string,
    enabled: boolean,
  ) {
    this.isTrackEnabled = enabled;
  }

  get isSubscribed(): boolean {
    return this.track !== null;
  }
}

export interface RemoteParticipantEvents {
  trackSubscribed: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
  trackUnsubscribed: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
  trackPublished: (publication: RemoteTrackPublication) => void;
  trackUnpublished: (publication: RemoteTrackPublication) => void;
  /** The publisher muted this track (twilio-video's event). */
  trackDisabled: (publication: RemoteTrackPublication) => void;
  trackEnabled: (publication: RemoteTrackPublication) => void;
}

const publicationOf = (t: TrackInfo) => new RemoteTrackPublication(t.sid, t.kind, t.name, t.enabled);

export class RemoteParticipant extends TypedEmitter<RemoteParticipantEvents> {
  readonly sid: string;
  readonly identity: string;
  readonly tracks = new Map<string, RemoteTrackPublication>();

  constructor(info: ParticipantInfo) {
    super();
    this.sid = info.sid;
    this.identity = info.identity;
    for (const t of info.tracks) this.tracks.set(t.sid, publicationOf(t));
  }

  get audioTracks(): Map<string, RemoteTrackPublication> {
    return new Map([...this.tracks].filter(([, p]) => p.kind === 'audio'));
  }

  get videoTracks(): Map<string, RemoteTrackPublication> {
    return new Map([...this.tracks].filter(([, p]) => p.kind === 'video'));
  }

  /** @internal the room calls this when the track's media line appears. */
  _subscribed(publication: RemoteTrackPublication, track: RemoteTrack): void {
    if (publication.track) return;
    publication.track = track;
    this.emit(ParticipantEvent.TrackSubscribed, track, publication);
  }

  /** @internal */
  _published(info: TrackInfo): RemoteTrackPublication {
    const publication = publicationOf(info);
    this.tracks.set(info.sid, publication);
    this.emit(ParticipantEvent.TrackPublished, publication);
    return publication;
  }

  /** @internal */
  _unpublished(trackSid: string): RemoteTrackPublication | undefined {
    const publication = this.tracks.get(trackSid);
    if (!publication) return undefined;
    this._unsubscribe(publication);
    this.tracks.delete(trackSid);
    this.emit(ParticipantEvent.TrackUnpublished, publication);
    return publication;
  }

  /** @internal */
  _setTrackEnabled(trackSid: string, enabled: boolean): RemoteTrackPublication | undefined {
    const publication = this.tracks.get(trackSid);
    if (!publication || publication.isTrackEnabled === enabled) return undefined;
    publication.isTrackEnabled = enabled;
    publication.track?._setEnabled(enabled);
    this.emit(enabled ? ParticipantEvent.TrackEnabled : ParticipantEvent.TrackDisabled, publication);
    return publication;
  }

  /** @internal after a reconnection: publications follow the server's list. */
  _updateTracks(tracks: TrackInfo[]): void {
    const present = new Set(tracks.map((t) => t.sid));
    for (const [sid, publication] of this.tracks) {
      if (present.has(sid)) continue;
      this._unsubscribe(publication);
      this.tracks.delete(sid);
    }
    for (const t of tracks) {
      if (!this.tracks.has(t.sid)) this.tracks.set(t.sid, publicationOf(t));
      else this._setTrackEnabled(t.sid, t.enabled);
    }
  }

  private _unsubscribe(publication: RemoteTrackPublication): void {
    const track = publication.track;
    if (!track) return;
    publication.track = null;
    this.emit(ParticipantEvent.TrackUnsubscribed, track, publication);
  }

  /** @internal */
  _unsubscribeAll(): void {
    for (const publication of this.tracks.values()) this._unsubscribe(publication);
  }
}

export class LocalTrackPublication {
  constructor(
    readonly trackSid: string,
    readonly track: LocalMediaTrack,
  ) {}
  get kind(): TrackKind {
    return this.track.kind;
  }
  get trackName(): string {
    return this.track.name;
  }
  get isTrackEnabled(): boolean {
    return this.track.isEnabled;
  }
}

/** How LocalParticipant reaches its room to publish (the room owns the connection). */
export interface Publisher {
  publishTrack(track: LocalVideoTrack): Promise<LocalTrackPublication>;
  unpublishTrack(track: LocalMediaTrack): void;
}

export class LocalParticipant {
  sid: string;
  readonly identity: string;
  /** By track SID, as the server names them (known once the server's offer arrived). */
  readonly tracks = new Map<string, LocalTrackPublication>();

  constructor(
    info: ParticipantInfo,
    private readonly publisher: Publisher,
  ) {
    this.sid = info.sid;
    this.identity = info.identity;
  }

  /** twilio-video's publishTrack: here, a screen share (a LocalVideoTrack named 'screen'). */
  publishTrack(track: LocalVideoTrack): Promise<LocalTrackPublication> {
    return this.publisher.publishTrack(track);
  }

  unpublishTrack(track: LocalMediaTrack): void {
    this.publisher.unpublishTrack(track);
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
}
