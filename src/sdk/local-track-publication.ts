import type { TrackKind } from '../protocol/messages.js';
import type { LocalTrackPublicationEventMap } from './events.js';
import type { LocalMediaTrack } from './local-track.js';
import { TypedEmitter } from './typed-emitter.js';

export type LocalTrackPublicationEvents = LocalTrackPublicationEventMap;

/** One of this page's tracks as the server knows it: by the SID it gave the track's line. */
export class LocalTrackPublication extends TypedEmitter<LocalTrackPublicationEvents> {
  constructor(
    readonly trackSid: string,
    readonly track: LocalMediaTrack,
    /** Given by the participant that published it: this publication holds no participant. */
    private readonly unpublishFromRoom: () => void,
  ) {
    super();
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

  /** As localParticipant.unpublishTrack(this.track); twilio-video returns the publication. */
  unpublish(): this {
    this.unpublishFromRoom();
    return this;
  }
}
