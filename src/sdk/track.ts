/**
 * Tracks, in twilio-video's shape: attach() gives (or fills) a media element, detach() takes the
 * track out of every element it was attached to and returns them.
 */
import type { TrackKind } from '../protocol/messages.js';
import { TrackEvent, type TrackEventMap } from './events.js';
import { TypedEmitter } from './typed-emitter.js';

export type TrackEvents = TrackEventMap<Track>;

export abstract class Track extends TypedEmitter<TrackEvents> {
  private readonly elements = new Set<HTMLMediaElement>();

  protected constructor(
    readonly kind: TrackKind,
    private current: MediaStreamTrack,
    readonly name: string,
  ) {
    super();
    this.watch(current);
  }

  get mediaStreamTrack(): MediaStreamTrack {
    return this.current;
  }

  private watch(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => track === this.current && this.emit(TrackEvent.Stopped, this));
  }

  /** Puts a new capture in place of the current one, in every element it is attached to. */
  protected replaceMediaStreamTrack(track: MediaStreamTrack): void {
    this.current = track;
    this.watch(track);
    for (const el of this.elements) el.srcObject = new MediaStream([track]);
  }

  get isEnabled(): boolean {
    return this.mediaStreamTrack.enabled;
  }

  get isStarted(): boolean {
    return this.mediaStreamTrack.readyState === 'live';
  }

  attach(element?: HTMLMediaElement | string): HTMLMediaElement {
    const target = typeof element === 'string' ? document.querySelector<HTMLMediaElement>(element) : element;
    const el = target ?? document.createElement(this.kind === 'video' ? 'video' : 'audio');
    el.autoplay = true;
    if (el instanceof HTMLVideoElement) {
      el.playsInline = true;
      el.muted = true; // a video element never plays sound here: audio has its own track and element
    }
    el.srcObject = new MediaStream([this.mediaStreamTrack]);
    el.play().catch(() => {
      // Autoplay can be refused before any user gesture; the element starts once the page is used.
    });
    this.elements.add(el);
    return el;
  }

  detach(element?: HTMLMediaElement | string): HTMLMediaElement[] {
    const targets =
      element === undefined
        ? [...this.elements]
        : [typeof element === 'string' ? document.querySelector<HTMLMediaElement>(element) : element].filter(
            (e): e is HTMLMediaElement => !!e,
          );
    for (const el of targets) {
      el.srcObject = null;
      this.elements.delete(el);
    }
    return targets;
  }
}
