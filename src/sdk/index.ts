/** Huddle's browser SDK, in the shape of twilio-video 2.x. */

export type { ErrorCode } from '../protocol/errors.js';
export type { ChatEntry } from '../protocol/messages.js';
export { type ConnectOptions, connect, SDK_VERSION } from './connect.js';
export {
  type CreateLocalTracksOptions,
  createLocalAudioTrack,
  createLocalScreenTrack,
  createLocalTracks,
  createLocalVideoTrack,
} from './create-local-tracks.js';
export { HuddleError } from './huddle-error.js';
export {
  LocalParticipant,
  LocalTrackPublication,
  ParticipantEvent,
  RemoteParticipant,
  type RemoteParticipantEvents,
  RemoteTrackPublication,
} from './participant.js';
export { Room, RoomEvent, type RoomEvents, type StatsReport, type TrackStats } from './room.js';
export {
  LocalAudioTrack,
  type LocalMediaTrack,
  LocalTrack,
  LocalVideoTrack,
  RemoteTrack,
  Track,
  type TrackEvents,
} from './track.js';
export const version = __HUDDLE_VERSION__;
export const isSupported = typeof RTCPeerConnection !== 'undefined' && !!globalThis.navigator?.mediaDevices;
