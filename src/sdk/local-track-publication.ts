import type { TrackKind, TrackPriority } from '../protocol/messages.js';
import type { LocalTrackPublicationEventMap } from './events.js';
import type { LocalMediaTrack } from './local-track.js';
import { TypedEmitter } from './typed-emitter.js';

export type LocalTrackPublicationEvents = LocalTrackPublicationEventMap;

/** What a publication asks of the room it was published in (it holds no participant or room). */
export interface PublicationHost {
  unpublish(track: LocalMediaTrack): void;
  setPriority(track: LocalMediaTrack, priority: TrackPriority): void;
  priorityOf(track: LocalMediaTrack): TrackPriority;
}

/** One of this page's tracks as the server knows it: by the SID it gave the track's line. */
export class LocalTrackPublication extends TypedEmitter<LocalTrackPublicationEvents> {
  constructor(
    readonly trackSid: string,
    readonly track: LocalMediaTrack,
    private readonly host: PublicationHost,
  ) {
    super();
  }

  /** The publisher's priority for this track (twilio-video's): everyone receiving it sees it as publishPriority. */
  get priority(): TrackPriority {
    return this.host.priorityOf(this.track);
  }

  setPriority(priority: TrackPriority): this {
    this.host.setPriority(this.track, priority);
    return this;
  }

  get kind(): TrackKind {
    return this.track.kind;
  }

  get trackName(): string {
    return this.track.name;
  }

  get isTrackEnabled(): boolean {
    return this.track.isEnabled;
  }

  /** TrackPublication's isEnabled: the same as isTrackEnabled. */
  get isEnabled(): boolean {
    return this.track.isEnabled;
  }

  /** As localParticipant.unpublishTrack(this.track); twilio-video returns the publication. */
  unpublish(): this {
    this.host.unpublish(this.track);
    return this;
  }
}
