/** This page's own tracks: the camera, the microphone, a screen share. */
import { TrackEvent } from './events.js';
import { Track } from './track.js';

const RESTART_STOP_DELAY_MS = 1000;

export abstract class LocalTrack extends Track {
  /** Mutes or unmutes: the room stops sending it and tells the others (twilio-video's trackDisabled). */
  enable(enabled = true): this {
    if (this.mediaStreamTrack.enabled === enabled) return this;
    this.mediaStreamTrack.enabled = enabled;
    this.emit(enabled ? TrackEvent.Enabled : TrackEvent.Disabled, this);
    return this;
  }

  disable(): this {
    return this.enable(false);
  }

  /** twilio-video's Track.ID: the MediaStreamTrack's id (it changes with restart()). */
  get id(): string {
    return this.mediaStreamTrack.id;
  }

  /** The capture delivers no media for now (the OS or another app took the device); `muted` / `unmuted` tell. */
  get isMuted(): boolean {
    return this.mediaStreamTrack.muted;
  }

  get isStopped(): boolean {
    return this.mediaStreamTrack.readyState === 'ended';
  }

  protected override watch(track: MediaStreamTrack): void {
    super.watch(track);
    track.addEventListener('mute', () => track === this.mediaStreamTrack && this.emit(TrackEvent.Muted, this));
    track.addEventListener('unmute', () => track === this.mediaStreamTrack && this.emit(TrackEvent.Unmuted, this));
  }

  /**
   * twilio-video's restart(): capture again, with new constraints (another device) or, without,
   * the ones the capture has now; the muted state is kept.
   */
  async restart(constraints?: MediaTrackConstraints): Promise<void> {
    const current = this.mediaStreamTrack.getConstraints();
    const wanted = constraints ?? (Object.keys(current).length > 0 ? current : true);
    const stream = await navigator.mediaDevices.getUserMedia(
      this.kind === 'audio' ? { audio: wanted } : { video: wanted },
    );
    const next = (this.kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0]!;
    next.enabled = this.mediaStreamTrack.enabled;
    const previous = this.mediaStreamTrack;
    this.replaceMediaStreamTrack(next);
    this.emit(TrackEvent.Restarted, this);
    // The room swaps the sender's track on 'restarted' (asynchronously): the old capture keeps
    // feeding the encoder until the swap has landed, so the others see no gap.
    setTimeout(() => previous.stop(), RESTART_STOP_DELAY_MS);
  }

  stop(): this {
    if (this.mediaStreamTrack.readyState === 'ended') return this;
    this._releaseMedia();
    this.mediaStreamTrack.stop();
    this.emit(TrackEvent.Stopped, this); // stop() fires no 'ended' event of its own
    return this;
  }
}

// The two kinds differ only in their constructor: one file keeps them beside what they share.

/** twilio-video's LocalTrackOptions (its `logLevel` is taken and ignored: Video.Logger sets levels). */
export interface LocalTrackOptions {
  name?: string;
  logLevel?: unknown;
}

const nameFrom = (options: string | LocalTrackOptions | undefined, fallback: string) =>
  (typeof options === 'string' ? options : options?.name) ?? fallback;

/**
 * As twilio-video's, a track is named by its MediaStreamTrack's id unless given a name; names are
 * unique among a participant's published tracks. Huddle's page names a screen share 'screen'.
 */
export class LocalVideoTrack extends LocalTrack {
  declare readonly kind: 'video';

  constructor(mediaStreamTrack: MediaStreamTrack, options?: string | LocalTrackOptions) {
    super('video', mediaStreamTrack, nameFrom(options, mediaStreamTrack.id));
  }
}

export class LocalAudioTrack extends LocalTrack {
  declare readonly kind: 'audio';

  constructor(mediaStreamTrack: MediaStreamTrack, options?: string | LocalTrackOptions) {
    super('audio', mediaStreamTrack, nameFrom(options, mediaStreamTrack.id));
  }
}

export type LocalMediaTrack = LocalVideoTrack | LocalAudioTrack;
