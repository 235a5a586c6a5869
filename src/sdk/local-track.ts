/** This page's own tracks: the camera, the microphone, a screen share. */
import { TrackEvent } from './events.js';
import { Track } from './track.js';
import { type AddProcessorOptions, VideoProcessingPipeline, type VideoProcessor } from './video-processing.js';

const RESTART_STOP_DELAY_MS = 1000;

export abstract class LocalTrack extends Track {
  private readonly sentTrackWatchers = new Set<() => void>();

  /** @internal what the room sends for this track: the capture, or a video processor's output. */
  get _sentTrack(): MediaStreamTrack {
    return this.renderedTrack;
  }

  /** A local track always has media to show: the capture, or its processed frames. */
  protected override get renderedTrack(): MediaStreamTrack {
    return this.mediaStreamTrack;
  }

  /** @internal calls back when _sentTrack changes (a processor added or removed); returns what stops it. */
  _watchSentTrack(callback: () => void): () => void {
    this.sentTrackWatchers.add(callback);
    return () => this.sentTrackWatchers.delete(callback);
  }

  protected sentTrackChanged(): void {
    this.refreshElements();
    for (const callback of this.sentTrackWatchers) callback();
  }

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
  private pipeline: VideoProcessingPipeline | null = null;

  constructor(mediaStreamTrack: MediaStreamTrack, options?: string | LocalTrackOptions) {
    super('video', mediaStreamTrack, nameFrom(options, mediaStreamTrack.id));
  }

  /** The video processor frames go through (addProcessor), or null. */
  get processor(): VideoProcessor | null {
    return this.pipeline?.processor ?? null;
  }

  /** What the processor makes of the capture: sent and shown in its place; null without one. */
  get processedTrack(): MediaStreamTrack | null {
    return this.pipeline?.output ?? null;
  }

  protected override get renderedTrack(): MediaStreamTrack {
    return this.pipeline?.output ?? this.mediaStreamTrack;
  }

  /**
   * twilio-video's addProcessor: every frame goes through `processor.processFrame(input, output)`
   * and the output is what the others see and what attach() shows. One processor at a time.
   */
  addProcessor(processor: VideoProcessor, options?: AddProcessorOptions): this {
    if (this.pipeline) throw new Error('A video processor is already added: remove it first');
    if (typeof processor?.processFrame !== 'function') throw new TypeError('A video processor has processFrame()');
    this.pipeline = new VideoProcessingPipeline(this.mediaStreamTrack, processor, options);
    this.pipeline.output.enabled = this.mediaStreamTrack.enabled;
    this.sentTrackChanged();
    return this;
  }

  removeProcessor(processor: VideoProcessor): this {
    if (!this.pipeline || this.pipeline.processor !== processor)
      throw new Error('This video processor is not the one added to the track');
    const pipeline = this.pipeline;
    this.pipeline = null;
    this.sentTrackChanged();
    pipeline.stop();
    return this;
  }

  protected override replaceMediaStreamTrack(track: MediaStreamTrack): void {
    this.pipeline?.setSource(track);
    super.replaceMediaStreamTrack(track);
  }

  override enable(enabled = true): this {
    if (this.pipeline) this.pipeline.output.enabled = enabled;
    return super.enable(enabled);
  }

  override stop(): this {
    this.pipeline?.stop();
    return super.stop();
  }
}

export class LocalAudioTrack extends LocalTrack {
  declare readonly kind: 'audio';

  constructor(mediaStreamTrack: MediaStreamTrack, options?: string | LocalTrackOptions) {
    super('audio', mediaStreamTrack, nameFrom(options, mediaStreamTrack.id));
  }
}

export type LocalMediaTrack = LocalVideoTrack | LocalAudioTrack;
