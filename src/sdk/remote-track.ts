import type { TrackKind } from '../protocol/messages.js';
import { TrackEvent } from './events.js';
import { Track } from './track.js';

/** A track received from another participant; `sid` is the publication's SID on the server. */
export class RemoteTrack extends Track {
  private publisherEnabled: boolean;
  /** False while the server has taken its line away (_lineGone), until it comes on a new one. */
  private hasLine = true;

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

  /**
   * @internal the same track, received again on a new line (after this page or its publisher
   * reconnected): every element it is attached to now plays the new media, as in twilio-video,
   * where a reconnection keeps remote tracks subscribed.
   */
  _resume(mediaStreamTrack: MediaStreamTrack): void {
    const hadLine = this.hasLine;
    this.hasLine = true;
    if (mediaStreamTrack !== this.mediaStreamTrack) return this.replaceMediaStreamTrack(mediaStreamTrack);
    if (hadLine) return;
    this.refreshElements();
    this.restartProbe();
  }

  /**
   * @internal the server took the track's line away while its publisher reconnects: the line
   * may carry someone else's track next, so nothing shows it until _resume.
   */
  _lineGone(): void {
    if (!this.hasLine) return;
    this.hasLine = false;
    this._releaseMedia();
    this.refreshElements();
  }

  protected override get renderedTrack(): MediaStreamTrack | null {
    return this.hasLine ? this.mediaStreamTrack : null;
  }

  /** @internal */
  _setEnabled(enabled: boolean): void {
    if (this.publisherEnabled === enabled) return;
    this.publisherEnabled = enabled;
    this.emit(enabled ? TrackEvent.Enabled : TrackEvent.Disabled, this);
  }
}
