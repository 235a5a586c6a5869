import type { TrackPriority } from '../protocol/messages.js';
import { LocalTrackPublicationEvent, type LocalTrackPublicationEventMap } from './events.js';
import type { LocalDataTrack } from './local-data-track.js';
import type { LocalMediaTrack } from './local-track.js';
import { relayTrackEvents } from './track-relay.js';
import { TypedEmitter } from './typed-emitter.js';

export type LocalTrackPublicationEvents = LocalTrackPublicationEventMap;

/** What this page can publish: twilio-video's LocalTrack (audio, video or data). */
export type PublishedTrack = LocalMediaTrack | LocalDataTrack;

/** What a publication asks of the room it was published in (it holds no participant or room). */
export interface PublicationHost {
  unpublish(track: PublishedTrack): void;
  setPriority(track: PublishedTrack, priority: TrackPriority): void;
  priorityOf(track: PublishedTrack): TrackPriority;
}

/**
 * One of this page's tracks as the server knows it: by the SID it gave it. Typed by its track's
 * class, as twilio-video's LocalAudioTrackPublication, LocalVideoTrackPublication and
 * LocalDataTrackPublication (`localParticipant.videoTracks` holds video ones).
 */
export class LocalTrackPublication<
  T extends PublishedTrack = PublishedTrack,
> extends TypedEmitter<LocalTrackPublicationEvents> {
  /** Stops repeating the track's enabled / disabled as this publication's trackEnabled / trackDisabled. */
  private readonly stopRelay: () => void;

  constructor(
    readonly trackSid: string,
    readonly track: T,
    private readonly host: PublicationHost,
  ) {
    super();
    const track_ = track as PublishedTrack;
    this.stopRelay =
      track_.kind === 'data'
        ? () => undefined
        : relayTrackEvents(track_, {
            enabled: () => this.emit(LocalTrackPublicationEvent.TrackEnabled),
            disabled: () => this.emit(LocalTrackPublicationEvent.TrackDisabled),
          });
  }

  /** @internal the track is no longer published under this publication. */
  _release(): void {
    this.stopRelay();
  }

  /** The publisher's priority for this track (twilio-video's): everyone receiving it sees it as publishPriority. */
  get priority(): TrackPriority {
    return this.host.priorityOf(this.track);
  }

  setPriority(priority: TrackPriority): this {
    this.host.setPriority(this.track, priority);
    return this;
  }

  get kind(): T['kind'] {
    return this.track.kind;
  }

  get trackName(): string {
    return this.track.name;
  }

  /** A data track is always enabled. */
  get isTrackEnabled(): boolean {
    return this.track.kind === 'data' || this.track.isEnabled;
  }

  /** TrackPublication's isEnabled: the same as isTrackEnabled. */
  get isEnabled(): boolean {
    return this.isTrackEnabled;
  }

  /** As localParticipant.unpublishTrack(this.track); twilio-video returns the publication. */
  unpublish(): this {
    this.host.unpublish(this.track);
    return this;
  }
}
