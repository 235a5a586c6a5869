import { LocalAudioTrack, type LocalMediaTrack, LocalVideoTrack } from './local-track.js';

const DEFAULT_VIDEO: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 480 },
  frameRate: { ideal: 24 },
};

export async function createLocalVideoTrack(constraints: MediaTrackConstraints = {}): Promise<LocalVideoTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { ...DEFAULT_VIDEO, ...constraints } });
  return new LocalVideoTrack(stream.getVideoTracks()[0]!);
}

export async function createLocalAudioTrack(constraints: MediaTrackConstraints = {}): Promise<LocalAudioTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: constraints });
  return new LocalAudioTrack(stream.getAudioTracks()[0]!);
}

export interface CreateLocalTracksOptions {
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
}

export async function createLocalTracks(options: CreateLocalTracksOptions = {}): Promise<LocalMediaTrack[]> {
  const audio = options.audio ?? true;
  const video = options.video ?? true;
  if (!audio && !video) return [];
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: audio === true ? {} : audio || false,
    video: video === true ? DEFAULT_VIDEO : video || false,
  });
  return [
    ...stream.getAudioTracks().map((t) => new LocalAudioTrack(t)),
    ...stream.getVideoTracks().map((t) => new LocalVideoTrack(t)),
  ];
}

/** A screen share: the browser asks which screen or window; published with room.publishTrack(). */
export async function createLocalScreenTrack(): Promise<LocalVideoTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
  return new LocalVideoTrack(stream.getVideoTracks()[0]!, 'screen');
}
