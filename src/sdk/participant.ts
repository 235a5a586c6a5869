import type { ParticipantInfo, TrackInfo, TrackKind } from '../protocol/messages.js';
import type { LocalMediaTrack, RemoteTrack } from './track.js';
import { TypedEmitter } from './typed-emitter.js';

export enum ParticipantEvent {
  TrackSubscribed = 'trackSubscribed',
  TrackUnsubscribed = 'trackUnsubscribed',
}

/** A track a remote participant publishes; `track` is set while this page receives it. */
export class RemoteTrackPublication {
  track: RemoteTrack | null = null;
  constructor(readonly trackSid: string, readonly kind: TrackKind, readonly trackName: string) {}

  get isSubscribed(): boolean {
    return this.track !== null;
  }
}

export interface RemoteParticipantEvents {
  trackSubscribed: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
  trackUnsubscribed: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
}

export class RemoteParticipant extends TypedEmitter<RemoteParticipantEvents> {
  readonly sid: string;
  readonly identity: string;
  readonly tracks = new Map<string, RemoteTrackPublication>();

  constructor(info: ParticipantInfo) {
    super();
    this.sid = info.sid;
    this.identity = info.identity;
    info.tracks.forEach((t: TrackInfo) => this.tracks.set(t.sid, new RemoteTrackPublication(t.sid, t.kind, t.name)));
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

  /** @internal after a reconnection: publications follow the server's list. */
  _updateTracks(tracks: TrackInfo[]): void {
    const present = new Set(tracks.map((t) => t.sid));
    for (const [sid, publication] of this.tracks) {
      if (present.has(sid)) continue;
      if (publication.track) this.emit(ParticipantEvent.TrackUnsubscribed, publication.track, publication);
      this.tracks.delete(sid);
    }
    for (const t of tracks) if (!this.tracks.has(t.sid)) this.tracks.set(t.sid, new RemoteTrackPublication(t.sid, t.kind, t.name));
  }

  /** @internal */
  _unsubscribeAll(): void {
    for (const publication of this.tracks.values()) {
      const track = publication.track;
      if (!track) continue;
      publication.track = null;
      this.emit(ParticipantEvent.TrackUnsubscribed, track, publication);
    }
  }
}

export class LocalTrackPublication {
  constructor(readonly trackSid: string, readonly track: LocalMediaTrack) {}
  get kind(): TrackKind {
    return this.track.kind;
  }
  get trackName(): string {
    return this.track.name;
  }
}

export class LocalParticipant {
  sid: string;
  readonly identity: string;
  readonly tracks = new Map<string, LocalTrackPublication>();

  constructor(info: ParticipantInfo, localTracks: LocalMediaTrack[]) {
    this.sid = info.sid;
    this.identity = info.identity;
    for (const track of localTracks) {
      const sid = info.tracks.find((t) => t.kind === track.kind)?.sid;
      if (sid) this.tracks.set(sid, new LocalTrackPublication(sid, track));
    }
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
