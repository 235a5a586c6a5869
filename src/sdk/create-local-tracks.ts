import { LocalAudioTrack, type LocalMediaTrack, LocalVideoTrack } from './local-track.js';

const DEFAULT_VIDEO: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 480 },
  frameRate: { ideal: 24 },
};

/**
 * twilio-video's CreateLocalTrackOptions: media constraints plus the track's `name` (and options
 * of its own that Huddle takes and has no use for, such as `logLevel` and the WebKit workarounds).
 */
export interface CreateLocalTrackOptions extends MediaTrackConstraints {
  name?: string;
  logLevel?: unknown;
  workaroundWebKitBug1208516?: boolean;
  workaroundWebKitBug180748?: boolean;
}

/** Splits twilio-video's options into the track's name and what getUserMedia takes. */
function split(options: CreateLocalTrackOptions): { name: string | undefined; constraints: MediaTrackConstraints } {
  const {
    name,
    logLevel: _level,
    workaroundWebKitBug1208516: _a,
    workaroundWebKitBug180748: _b,
    ...constraints
  } = options;
  return { name, constraints };
}

const named = (name: string | undefined) => (name === undefined ? undefined : { name });

export async function createLocalVideoTrack(options: CreateLocalTrackOptions = {}): Promise<LocalVideoTrack> {
  const { name, constraints } = split(options);
  const stream = await navigator.mediaDevices.getUserMedia({ video: { ...DEFAULT_VIDEO, ...constraints } });
  return new LocalVideoTrack(stream.getVideoTracks()[0]!, named(name));
}

export async function createLocalAudioTrack(options: CreateLocalTrackOptions = {}): Promise<LocalAudioTrack> {
  const { name, constraints } = split(options);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: constraints });
  return new LocalAudioTrack(stream.getAudioTracks()[0]!, named(name));
}

export interface CreateLocalTracksOptions {
  audio?: boolean | CreateLocalTrackOptions;
  video?: boolean | CreateLocalTrackOptions;
  logLevel?: unknown;
}

/** As twilio-video's: both kinds when the options name neither, else only the kinds they ask for. */
export async function createLocalTracks(options: CreateLocalTracksOptions = {}): Promise<LocalMediaTrack[]> {
  const neither = !('audio' in options || 'video' in options);
  const audio = options.audio ?? neither;
  const video = options.video ?? neither;
  if (!audio && !video) return [];
  const audioOptions = split(typeof audio === 'object' ? audio : {});
  const videoOptions = split(typeof video === 'object' ? video : {});
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: audio ? audioOptions.constraints : false,
    video: video ? { ...DEFAULT_VIDEO, ...videoOptions.constraints } : false,
  });
  return [
    ...stream.getAudioTracks().map((t) => new LocalAudioTrack(t, named(audioOptions.name))),
    ...stream.getVideoTracks().map((t) => new LocalVideoTrack(t, named(videoOptions.name))),
  ];
}

/** A screen share: the browser asks which screen or window; published with room.publishTrack(). */
export async function createLocalScreenTrack(): Promise<LocalVideoTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
  return new LocalVideoTrack(stream.getVideoTracks()[0]!, 'screen');
}
