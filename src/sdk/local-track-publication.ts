import type { TrackKind } from '../protocol/messages.js';
import type { LocalMediaTrack } from './local-track.js';

/** One of this page's tracks as the server knows it: by the SID it gave the track's line. */
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
