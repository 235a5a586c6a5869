/**
 * Tracks, in twilio-video's shape: attach() gives (or fills) a media element, detach() takes the
 * track out of every element it was attached to and returns them.
 */
import type { TrackKind } from '../protocol/messages.js';
import { TypedEmitter } from './typed-emitter.js';

export interface TrackEvents {
  /** restart() swapped in a new capture (another camera or microphone). */
  restarted: (track: Track) => void;
  /** A local track was enabled again, or a remote publisher unmuted. */
  enabled: (track: Track) => void;
  disabled: (track: Track) => void;
  /** The track ended (a screen share stopped from the browser's own button, say). */
  stopped: (track: Track) => void;
}

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
    track.addEventListener('ended', () => track === this.current && this.emit('stopped', this));
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

const RESTART_STOP_DELAY_MS = 1000;

export abstract class LocalTrack extends Track {
  /** Mutes or unmutes: the room stops sending it and tells the others (twilio-video's trackDisabled). */
  enable(enabled = true): this {
    if (this.mediaStreamTrack.enabled === enabled) return this;
    this.mediaStreamTrack.enabled = enabled;
    this.emit(enabled ? 'enabled' : 'disabled', this);
    return this;
  }

  disable(): this {
    return this.enable(false);
  }

  /** twilio-video's restart(): capture again with new constraints (another device), keeping muted state. */
  async restart(constraints: MediaTrackConstraints): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia(
      this.kind === 'audio' ? { audio: constraints } : { video: constraints },
    );
    const next = (this.kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0]!;
    next.enabled = this.mediaStreamTrack.enabled;
    const previous = this.mediaStreamTrack;
    this.replaceMediaStreamTrack(next);
    this.emit('restarted', this);
    // The room swaps the sender's track on 'restarted' (asynchronously): the old capture keeps
    // feeding the encoder until the swap has landed, so the others see no gap.
    setTimeout(() => previous.stop(), RESTART_STOP_DELAY_MS);
  }

  stop(): void {
    if (this.mediaStreamTrack.readyState === 'ended') return;
    this.mediaStreamTrack.stop();
    this.emit('stopped', this); // stop() fires no 'ended' event of its own
  }
}

export class LocalVideoTrack extends LocalTrack {
  /** 'camera', or 'screen' for a screen share. */
  constructor(mediaStreamTrack: MediaStreamTrack, name: 'camera' | 'screen' = 'camera') {
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
    this.emit(enabled ? 'enabled' : 'disabled', this);
  }
}
export { RemoteTrack as RemoteVideoTrack, RemoteTrack as RemoteAudioTrack };
