/**
 * Tracks, in twilio-video's shape: attach() gives (or fills) a media element, detach() takes the
 * track out of every element it was attached to and returns them. As twilio-video does, each
 * track plays into a muted element of its own that no page shows: it tells when media starts
 * (`started`, again after a restart's new capture) and, for video, the frame size
 * (`dimensions`, `dimensionsChanged`).
 */
import type { TrackKind } from '../protocol/messages.js';
import { TrackEvent, type TrackEventMap } from './events.js';
import { TypedEmitter } from './typed-emitter.js';

export type TrackEvents = TrackEventMap<Track>;

export interface VideoDimensions {
  width: number | null;
  height: number | null;
}

export abstract class Track extends TypedEmitter<TrackEvents> {
  private readonly elements = new Set<HTMLMediaElement>();
  private probe: HTMLMediaElement | undefined;
  private started = false;
  /** The video's frame size once frames arrive (null before, and for audio). */
  readonly dimensions: VideoDimensions = { width: null, height: null };

  protected constructor(
    readonly kind: TrackKind,
    private current: MediaStreamTrack,
    readonly name: string,
  ) {
    super();
    this.watch(current);
    this.probeMedia(current);
  }

  get mediaStreamTrack(): MediaStreamTrack {
    return this.current;
  }

  protected watch(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => track === this.current && this.emit(TrackEvent.Stopped, this));
  }

  /**
   * What elements show: the capture, or what a video processor made of it (LocalVideoTrack);
   * null while a remote track has no line (its publisher is reconnecting).
   */
  protected get renderedTrack(): MediaStreamTrack | null {
    return this.current;
  }

  /** Shows renderedTrack in every element the track is attached to (it changed). */
  protected refreshElements(): void {
    const shown = this.renderedTrack;
    for (const el of this.elements) el.srcObject = shown ? new MediaStream([shown]) : null;
  }

  /** Measures the current media afresh: `started` and `dimensions` again (it comes on a new line). */
  protected restartProbe(): void {
    this.started = false;
    this.probeMedia(this.current);
  }

  /** Puts a new capture in place of the current one, in every element it is attached to. */
  protected replaceMediaStreamTrack(track: MediaStreamTrack): void {
    this.current = track;
    this.watch(track);
    this.refreshElements();
    this.started = false;
    this.probeMedia(track);
  }

  /** Plays the track into an element of its own, to learn when media flows and at what size. */
  private probeMedia(track: MediaStreamTrack): void {
    if (typeof document === 'undefined') return; // outside a browser (unit tests): nothing to play
    this.releaseProbe();
    const probe = document.createElement(this.kind === 'video' ? 'video' : 'audio');
    probe.muted = true;
    probe.autoplay = true;
    const measure = () => {
      if (!(probe instanceof HTMLVideoElement) || this.probe !== probe || probe.videoWidth === 0) return;
      if (probe.videoWidth === this.dimensions.width && probe.videoHeight === this.dimensions.height) return;
      this.dimensions.width = probe.videoWidth;
      this.dimensions.height = probe.videoHeight;
      this.emit(TrackEvent.DimensionsChanged, this);
    };
    if (probe instanceof HTMLVideoElement) {
      probe.playsInline = true;
      probe.addEventListener('loadedmetadata', measure);
      probe.addEventListener('resize', measure);
    }
    // Started: the size is known by then, so a listener reading `dimensions` finds it.
    const start = () => {
      measure();
      if (this.probe !== probe || this.started) return;
      this.started = true;
      this.emit(TrackEvent.Started, this);
    };
    probe.addEventListener(this.kind === 'video' ? 'loadeddata' : 'canplay', start);
    probe.srcObject = new MediaStream([track]);
    this.probe = probe;
    probe.play().catch(() => {
      // Muted elements may autoplay; if the browser refuses anyway, 'started' waits for the page's own element.
    });
  }

  /** @internal the track is done with (stopped, or its remote line went): its element lets go of it. */
  _releaseMedia(): void {
    this.releaseProbe();
  }

  private releaseProbe(): void {
    if (!this.probe) return;
    this.probe.srcObject = null;
    this.probe = undefined;
  }

  get isEnabled(): boolean {
    return this.mediaStreamTrack.enabled;
  }

  /** Whether media has started flowing (twilio-video's isStarted): `started` was emitted. */
  get isStarted(): boolean {
    return this.started;
  }

  attach(element?: HTMLMediaElement | string): HTMLMediaElement {
    const target = typeof element === 'string' ? document.querySelector<HTMLMediaElement>(element) : element;
    const el = target ?? document.createElement(this.kind === 'video' ? 'video' : 'audio');
    el.autoplay = true;
    if (el instanceof HTMLVideoElement) {
      el.playsInline = true;
      el.muted = true; // a video element never plays sound here: audio has its own track and element
    }
    const shown = this.renderedTrack;
    el.srcObject = shown ? new MediaStream([shown]) : null;
    el.play().catch(() => {
      // Autoplay can be refused before any user gesture; the element starts once the page is used.
    });
    this.elements.add(el);
    this.elementsChanged();
    return el;
  }

  /** The elements it is attached to now. */
  protected get attachedElements(): ReadonlySet<HTMLMediaElement> {
    return this.elements;
  }

  /** Called after an element was attached or detached. */
  protected elementsChanged(): void {}

  /** As twilio-video's: detach() takes the track out of every element and returns them; detach(element) returns that one. */
  detach(): HTMLMediaElement[];
  detach(element: HTMLMediaElement | string): HTMLMediaElement;
  detach(element?: HTMLMediaElement | string): HTMLMediaElement | HTMLMediaElement[] {
    if (element === undefined) {
      const all = [...this.elements];
      for (const el of all) this.release(el);
      return all;
    }
    const target = typeof element === 'string' ? document.querySelector<HTMLMediaElement>(element) : element;
    if (!target) throw new TypeError(`No media element matches ${String(element)}`);
    this.release(target);
    return target;
  }

  private release(element: HTMLMediaElement): void {
    element.srcObject = null;
    if (this.elements.delete(element)) this.elementsChanged();
  }

  /** @internal room.refreshInactiveMedia(): plays again the elements the browser paused (iOS does, on a call or a lock). */
  _playPausedElements(): void {
    for (const el of this.elements) if (el.paused) el.play().catch(() => undefined);
  }
}
