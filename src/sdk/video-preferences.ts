/**
 * What this page wants of each remote video, told to the server (trackPreferences), which sends
 * each one at the layer that fits and none at all of a video switched off. twilio-video's
 * bandwidthProfile.video decides who says it: with clientTrackSwitchOffControl 'auto' a video is
 * switched off while no element it is attached to is on screen (or the tab is hidden), and with
 * contentPreferencesMode 'auto' its render size is that of its largest element on screen; with
 * 'manual' the app calls switchOn/switchOff and setContentPreferences. Without a bandwidth
 * profile both are the app's (nothing is switched off for it), as in twilio-video.
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
  private readonly observed = new Map<RemoteTrack, Set<HTMLMediaElement>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onVisibility = () => this.schedule();

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
      document.addEventListener('visibilitychange', this.onVisibility);
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
    for (const element of this.observed.get(track) ?? []) this.observer?.unobserve(element);
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
    for (const element of before) if (!now.has(element)) this.observer.unobserve(element);
    for (const element of now) if (!before.has(element)) this.observer.observe(element);
    this.observed.set(track, now);
    this.schedule();
  }

  close(): void {
    clearTimeout(this.timer);
    this.observer?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
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
    for (const [track, wanted] of this.wanted) {
      const visible = [...track._elements].filter(
        (element) => shown && this.onScreen.has(element) && element.clientWidth > 0 && element.clientHeight > 0,
      );
      if (this.switchControl === 'auto') wanted.on = visible.length > 0;
      if (this.contentControl === 'auto' && visible.length > 0) {
        wanted.width = Math.round(Math.max(...visible.map((e) => e.clientWidth)) * devicePixelRatio);
        wanted.height = Math.round(Math.max(...visible.map((e) => e.clientHeight)) * devicePixelRatio);
      }
      const message = this.messageOf(wanted);
      const text = JSON.stringify(message);
      if (text === wanted.told) continue;
      wanted.told = text;
      this.send(message);
    }
  }
}
