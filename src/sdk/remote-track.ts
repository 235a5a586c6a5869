import type { TrackKind, TrackPriority } from '../protocol/messages.js';
import { TrackEvent } from './events.js';
import { Track } from './track.js';

/** twilio-video's render dimensions: the size a video is shown at, in CSS pixels. */
export interface VideoContentPreferences {
  renderDimensions?: { width: number; height: number };
}

/** What a remote video's switch-off, content preferences and priority go through (the room's, see video-preferences.ts). */
export interface RemoteVideoControl {
  switchOn(track: RemoteTrack): void;
  switchOff(track: RemoteTrack): void;
  setContentPreferences(track: RemoteTrack, preferences: VideoContentPreferences): void;
  setPriority(track: RemoteTrack, priority: TrackPriority | null): void;
  /** The track was attached to an element or detached from one. */
  elementsChanged(track: RemoteTrack): void;
}

/** A track received from another participant; `sid` is the publication's SID on the server. */
export class RemoteTrack extends Track {
  private publisherEnabled: boolean;
  /** False while the server has taken its line away (_lineGone), until it comes on a new one. */
  private hasLine = true;
  /** This page's priority for it (twilio-video's setPriority); null: the publisher's counts. */
  priority: TrackPriority | null = null;
  /** The server sends it no more, for `switchOffReason`: this page switched it off, shows it nowhere, or its link cannot take it. */
  isSwitchedOff = false;
  switchOffReason: string | null = null;
  /** @internal set by the room while the track is subscribed. */
  _control: RemoteVideoControl | undefined;

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

  /** twilio-video's switchOn(): with clientTrackSwitchOffControl 'manual' (or no bandwidth profile). */
  switchOn(): this {
    this.control('switchOn').switchOn(this);
    return this;
  }

  /** twilio-video's switchOff(): the server stops sending it until switchOn(). */
  switchOff(): this {
    this.control('switchOff').switchOff(this);
    return this;
  }

  /** twilio-video's: the size it is shown at, with contentPreferencesMode 'manual' (the server sends the layer that fits). */
  setContentPreferences(preferences: VideoContentPreferences): this {
    this.control('setContentPreferences').setContentPreferences(this, preferences);
    return this;
  }

  /** This page's priority for the track, above the publisher's; null gives it back to the publisher's. */
  setPriority(priority: TrackPriority | null): this {
    this.priority = priority;
    this._control?.setPriority(this, priority);
    return this;
  }

  private control(method: string): RemoteVideoControl {
    if (this.kind !== 'video') throw new TypeError(`${method}() is for video tracks`);
    if (!this._control) throw new Error(`${method}(): the track is not subscribed`);
    return this._control;
  }

  protected override elementsChanged(): void {
    this._control?.elementsChanged(this);
  }

  /** @internal the elements it is shown in, for automatic switch-off and render dimensions. */
  get _elements(): ReadonlySet<HTMLMediaElement> {
    return this.attachedElements;
  }

  /** @internal the server switched it off (with why) or on; false when nothing changed. */
  _switched(off: boolean, reason: string | null): boolean {
    if (this.isSwitchedOff === off && this.switchOffReason === (off ? reason : null)) return false;
    this.isSwitchedOff = off;
    this.switchOffReason = off ? reason : null;
    if (off) this.emit(TrackEvent.SwitchedOff, this, this.switchOffReason);
    else this.emit(TrackEvent.SwitchedOn, this);
    return true;
  }

  /** @internal */
  _setEnabled(enabled: boolean): void {
    if (this.publisherEnabled === enabled) return;
    this.publisherEnabled = enabled;
    this.emit(enabled ? TrackEvent.Enabled : TrackEvent.Disabled, this);
    // As twilio-video: a track its publisher disabled is also switched off, for that reason.
    if (!enabled && !this.isSwitchedOff) this._switched(true, 'disabled-by-publisher');
    else if (enabled && this.switchOffReason === 'disabled-by-publisher') this._switched(false, null);
  }
}
