import type { TrackKind } from '../protocol/messages.js';
import { TrackEvent } from './events.js';
import { Track } from './track.js';

/** A track received from another participant; `sid` is the publication's SID on the server. */
export class RemoteTrack extends Track {
  private publisherEnabled: boolean;

  constructor(
    kind: TrackKind,
    mediaStreamTrack: MediaStreamTrack,
    name: string,
    readonly sid: string,
    enabled: boolean,
  ) {
    super(kind, mediaStreamTrack, name);
    this.publisherEnabled = enabled;
  }

  /** Whether its publisher has it enabled (unmuted). */
  override get isEnabled(): boolean {
    return this.publisherEnabled;
  }

  /** @internal */
  _setEnabled(enabled: boolean): void {
    if (this.publisherEnabled === enabled) return;
    this.publisherEnabled = enabled;
    this.emit(enabled ? TrackEvent.Enabled : TrackEvent.Disabled, this);
  }
}
