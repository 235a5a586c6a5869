/**
 * What this page wants of each remote video, told to the server (trackPreferences), which sends
 * each one at the layer that fits and none at all of a video switched off. twilio-video's
 * bandwidthProfile.video decides who says it: with clientTrackSwitchOffControl 'auto' a video is
 * switched off while no element it is attached to is on screen (or the tab is hidden), and with
 * contentPreferencesMode 'auto' its render size is that of its largest element on screen; with
 * 'manual' the app calls switchOn/switchOff and setContentPreferences. Without a bandwidth
 * profile both are the app's (nothing is switched off for it), as in twilio-video.
 * A video in picture-in-picture is on screen whatever its element and the tab: that is when a
 * call page's floating window matters most (Chrome opens it as the tab is hidden), at the
 * window's size. Element sizes are watched too (a tile pinned, a window resized).
 */
import type { ClientMessage, TrackPriority } from '../protocol/messages.js';
import type { RemoteTrack, RemoteVideoControl, VideoContentPreferences } from './remote-track.js';

export type BandwidthProfileMode = 'grid' | 'collaboration' | 'presentation';
export type TrackSwitchOffMode = 'detected' | 'predicted' | 'disabled';

/** twilio-video's bandwidthProfile.video. */
export interface VideoBandwidthProfileOptions {
  mode?: BandwidthProfileMode;
  dominantSpeakerPriority?: TrackPriority;
  maxSubscriptionBitrate?: number;
  clientTrackSwitchOffControl?: 'auto' | 'manual';
  contentPreferencesMode?: 'auto' | 'manual';
  /** Taken: the server switches off what a link cannot carry whatever this says. */
  trackSwitchOffMode?: TrackSwitchOffMode;
  /** Deprecated in twilio-video (clientTrackSwitchOffControl, contentPreferencesMode): taken, not used. */
  maxTracks?: number;
  renderDimensions?: unknown;
}

export interface BandwidthProfileOptions {
  video?: VideoBandwidthProfileOptions;
}

interface Wanted {
  sid: string;
  on: boolean;
  width: number | undefined;
  height: number | undefined;
  priority: TrackPriority | null;
  /** What the server was last told, to send only changes. */
  told: string | undefined;
}

/** Element changes settle for this long before the server hears (a grid relayout touches many at once). */
const SETTLE_MS = 150;

export class VideoPreferences implements RemoteVideoControl {
  private readonly switchControl: 'auto' | 'manual';
  private readonly contentControl: 'auto' | 'manual';
  private readonly wanted = new Map<RemoteTrack, Wanted>();
  private readonly onScreen = new Set<Element>();
  private readonly observer: IntersectionObserver | undefined;
  private readonly resizes: ResizeObserver | undefined;
  /** The video element in picture-in-picture and its window's size, if one of ours is. */
  private pip: { element: Element; window: { width: number; height: number } } | undefined;
  private readonly observed = new Map<RemoteTrack, Set<HTMLMediaElement>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onVisibility = () => this.schedule();
  private readonly onPictureInPicture = (event: Event) => {
    const floating = (event as PictureInPictureEvent).pictureInPictureWindow;
    if (event.type === 'enterpictureinpicture' && floating) {
      this.pip = { element: event.target as Element, window: floating };
      floating.addEventListener('resize', this.onVisibility);
    } else if (this.pip?.element === event.target) {
      this.pip = undefined;
    }
    this.schedule();
  };

  constructor(
    profile: VideoBandwidthProfileOptions | undefined,
    private readonly send: (message: ClientMessage) => void,
  ) {
    this.switchControl = profile ? (profile.clientTrackSwitchOffControl ?? 'auto') : 'manual';
    this.contentControl = profile ? (profile.contentPreferencesMode ?? 'auto') : 'manual';
    if (this.switchControl === 'auto' || this.contentControl === 'auto') {
      this.observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.onScreen.add(entry.target);
          else this.onScreen.delete(entry.target);
        }
        this.schedule();
      });
      this.resizes = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => this.schedule());
      document.addEventListener('visibilitychange', this.onVisibility);
      // They do not bubble: caught on their way down to the video.
      document.addEventListener('enterpictureinpicture', this.onPictureInPicture, true);
      document.addEventListener('leavepictureinpicture', this.onPictureInPicture, true);
    }
  }

  /** A remote video was subscribed: it is on, at no particular size, until said otherwise. */
  add(track: RemoteTrack): void {
    if (track.kind !== 'video' || this.wanted.has(track)) return;
    const wanted: Wanted = {
      sid: track.sid,
      on: true,
      width: undefined,
      height: undefined,
      priority: track.priority,
      told: undefined,
    };
    // What the server assumes of a new subscription needs no message.
    wanted.told = JSON.stringify(this.messageOf(wanted));
    this.wanted.set(track, wanted);
    track._control = this;
    this.elementsChanged(track);
  }

  remove(track: RemoteTrack): void {
    if (!this.wanted.delete(track)) return;
    track._control = undefined;
    for (const element of this.observed.get(track) ?? []) {
      this.observer?.unobserve(element);
      this.resizes?.unobserve(element);
    }
    this.observed.delete(track);
  }

  /** After a reconnection: the server knows nothing of what this page wanted. */
  resend(): void {
    for (const wanted of this.wanted.values())
      wanted.told = JSON.stringify(
        this.messageOf({ ...wanted, on: true, width: undefined, height: undefined, priority: null }),
      );
    this.flush();
  }

  switchOn(track: RemoteTrack): void {
    this.manual('switchOn', this.switchControl, 'clientTrackSwitchOffControl');
    this.change(track, (wanted) => {
      wanted.on = true;
    });
  }

  switchOff(track: RemoteTrack): void {
    this.manual('switchOff', this.switchControl, 'clientTrackSwitchOffControl');
    this.change(track, (wanted) => {
      wanted.on = false;
    });
  }

  setContentPreferences(track: RemoteTrack, preferences: VideoContentPreferences): void {
    this.manual('setContentPreferences', this.contentControl, 'contentPreferencesMode');
    const size = preferences.renderDimensions;
    this.change(track, (wanted) => {
      wanted.width = size ? Math.round(size.width * devicePixelRatio) : undefined;
      wanted.height = size ? Math.round(size.height * devicePixelRatio) : undefined;
    });
  }

  setPriority(track: RemoteTrack, priority: TrackPriority | null): void {
    this.change(track, (wanted) => {
      wanted.priority = priority;
    });
  }

  elementsChanged(track: RemoteTrack): void {
    if (!this.observer || !this.wanted.has(track)) return;
    const now = new Set(track._elements);
    const before = this.observed.get(track) ?? new Set();
    for (const element of before) {
      if (now.has(element)) continue;
      this.observer.unobserve(element);
      this.resizes?.unobserve(element);
    }
    for (const element of now) {
      if (before.has(element)) continue;
      this.observer.observe(element);
      this.resizes?.observe(element);
    }
    this.observed.set(track, now);
    this.schedule();
  }

  close(): void {
    clearTimeout(this.timer);
    this.observer?.disconnect();
    this.resizes?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    document.removeEventListener('enterpictureinpicture', this.onPictureInPicture, true);
    document.removeEventListener('leavepictureinpicture', this.onPictureInPicture, true);
    for (const track of [...this.wanted.keys()]) this.remove(track);
  }

  /** As twilio-video: the app may not do what it left to the SDK. */
  private manual(method: string, control: 'auto' | 'manual', option: string): void {
    if (control === 'auto') throw new Error(`${method}() needs bandwidthProfile.video.${option} 'manual'`);
  }

  private change(track: RemoteTrack, edit: (wanted: Wanted) => void): void {
    const wanted = this.wanted.get(track);
    if (!wanted) return;
    edit(wanted);
    this.flush();
  }

  private messageOf(wanted: Wanted) {
    return {
      type: 'trackPreferences' as const,
      trackSid: wanted.sid,
      on: wanted.on,
      renderWidth: wanted.width ?? 0,
      renderHeight: wanted.height ?? 0,
      priority: wanted.priority,
    };
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, SETTLE_MS);
  }

  /** Works out what the automatic modes say, and tells the server what changed. */
  private flush(): void {
    const shown = document.visibilityState !== 'hidden';
    const pip = this.pip && document.pictureInPictureElement === this.pip.element ? this.pip : undefined;
    for (const [track, wanted] of this.wanted) {
      const sizes = [...track._elements]
        .filter((element) => shown && this.onScreen.has(element) && element.clientWidth > 0 && element.clientHeight > 0)
        .map((element) => ({ width: element.clientWidth, height: element.clientHeight }));
      if (pip && track._elements.has(pip.element as HTMLMediaElement)) sizes.push(pip.window);
      if (this.switchControl === 'auto') wanted.on = sizes.length > 0;
      if (this.contentControl === 'auto' && sizes.length > 0) {
        wanted.width = Math.round(Math.max(...sizes.map((s) => s.width)) * devicePixelRatio);
        wanted.height = Math.round(Math.max(...sizes.map((s) => s.height)) * devicePixelRatio);
      }
      const message = this.messageOf(wanted);
      const text = JSON.stringify(message);
      if (text === wanted.told) continue;
      wanted.told = text;
      this.send(message);
    }
  }
}
