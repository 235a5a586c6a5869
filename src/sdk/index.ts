/** Huddle's browser SDK, in the shape of twilio-video 2.x. */
export { connect, SDK_VERSION, type ConnectOptions } from './connect.js';
export {
  createLocalTracks,
  createLocalVideoTrack,
  createLocalAudioTrack,
  createLocalScreenTrack,
  type CreateLocalTracksOptions,
} from './create-local-tracks.js';
export { Room, RoomEvent, type RoomEvents, type StatsReport, type TrackStats } from './room.js';
export {
  RemoteParticipant,
  LocalParticipant,
  RemoteTrackPublication,
  LocalTrackPublication,
  ParticipantEvent,
  type RemoteParticipantEvents,
} from './participant.js';
export { Track, LocalTrack, LocalVideoTrack, LocalAudioTrack, RemoteTrack, type LocalMediaTrack, type TrackEvents } from './track.js';
export type { ChatEntry } from '../protocol/messages.js';
export { HuddleError } from './huddle-error.js';
export type { ErrorCode } from '../protocol/errors.js';
export const version = '0.1.0';
export const isSupported = typeof RTCPeerConnection !== 'undefined' && !!globalThis.navigator?.mediaDevices;
