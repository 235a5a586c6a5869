import type { PublishedKind, TrackInfo, TrackPriority } from '../protocol/messages.js';
import { type RemoteTrackPublicationEventMap, TrackPublicationEvent } from './events.js';
import type { RemoteDataTrack } from './remote-data-track.js';
import type { RemoteTrack } from './remote-track.js';
import { TypedEmitter } from './typed-emitter.js';

export type RemoteTrackPublicationEvents = RemoteTrackPublicationEventMap<RemoteTrack | RemoteDataTrack>;

/**
 * A track a remote participant publishes; `track` is set while this page receives it. Typed by
 * its track's class (`participant.videoTracks` holds ones of RemoteTracks of kind video,
 * `dataTracks` of RemoteDataTracks), as twilio-video's per-kind publications.
 */
export class RemoteTrackPublication<
  T extends RemoteTrack | RemoteDataTrack = RemoteTrack | RemoteDataTrack,
> extends TypedEmitter<RemoteTrackPublicationEvents> {
  track: T | null = null;
  isTrackEnabled: boolean;
  /** The publisher's priority for this track. */
  publishPriority: TrackPriority = 'standard';

  constructor(
    readonly trackSid: string,
    readonly kind: PublishedKind,
    readonly trackName: string,
    enabled: boolean,
  ) {
    super();
    this.isTrackEnabled = enabled;
  }

  static fromInfo(info: TrackInfo): RemoteTrackPublication {
    const publication = new RemoteTrackPublication(info.sid, info.kind, info.name, info.enabled);
    if (info.priority) publication.publishPriority = info.priority;
    return publication;
  }

  /** @internal false when nothing changed. */
  _setPublishPriority(priority: TrackPriority): boolean {
    if (this.publishPriority === priority) return false;
    this.publishPriority = priority;
    this.emit(TrackPublicationEvent.PublishPriorityChanged, priority);
    return true;
  }

  /** TrackPublication's isEnabled: the same as isTrackEnabled. */
  get isEnabled(): boolean {
    return this.isTrackEnabled;
  }

  get isSubscribed(): boolean {
    return this.track !== null;
  }

  /** @internal the participant calls these; it raises its own events after. */
  _subscribed(track: RemoteTrack | RemoteDataTrack): void {
    this.track = track as T;
    this.emit(TrackPublicationEvent.Subscribed, track);
  }

  /** @internal */
  _unsubscribed(): RemoteTrack | RemoteDataTrack | null {
    const track = this.track;
    if (!track) return null;
    this.track = null;
    track._releaseMedia();
    this.emit(TrackPublicationEvent.Unsubscribed, track);
    return track;
  }

  /** @internal false when nothing changed. */
  _setEnabled(enabled: boolean): boolean {
    if (this.isTrackEnabled === enabled) return false;
    this.isTrackEnabled = enabled;
    this.track?._setEnabled(enabled);
    this.emit(enabled ? TrackPublicationEvent.TrackEnabled : TrackPublicationEvent.TrackDisabled);
    return true;
  }
}
