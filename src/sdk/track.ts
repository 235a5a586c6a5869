/**
 * Tracks, in twilio-video's shape: attach() gives (or fills) a media element, detach() takes the
 * track out of every element it was attached to and returns them.
 */
import type { TrackKind } from '../protocol/messages.js';

export abstract class Track {
  private readonly elements = new Set<HTMLMediaElement>();

  protected constructor(readonly kind: TrackKind, readonly mediaStreamTrack: MediaStreamTrack, readonly name: string) {}

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
    const targets = element === undefined
      ? [...this.elements]
      : [typeof element === 'string' ? document.querySelector<HTMLMediaElement>(element) : element].filter((e): e is HTMLMediaElement => !!e);
    for (const el of targets) {
      el.srcObject = null;
      this.elements.delete(el);
    }
    return targets;
  }
}

export abstract class LocalTrack extends Track {
  enable(enabled = true): this {
    this.mediaStreamTrack.enabled = enabled;
    return this;
  }

  disable(): this {
    return this.enable(false);
  }

  stop(): void {
    this.mediaStreamTrack.stop();
  }
}

export class LocalVideoTrack extends LocalTrack {
  constructor(mediaStreamTrack: MediaStreamTrack, name = 'camera') {
    super('video', mediaStreamTrack, name);
  }
}

export class LocalAudioTrack extends LocalTrack {
  constructor(mediaStreamTrack: MediaStreamTrack, name = 'microphone') {
    super('audio', mediaStreamTrack, name);
  }
}

export type LocalMediaTrack = LocalVideoTrack | LocalAudioTrack;

/** A track received from another participant; `sid` is the publication's SID on the server. */
export class RemoteTrack extends Track {
  constructor(kind: TrackKind, mediaStreamTrack: MediaStreamTrack, name: string, readonly sid: string) {
    super(kind, mediaStreamTrack, name);
  }
}
export { RemoteTrack as RemoteVideoTrack, RemoteTrack as RemoteAudioTrack };
