/** Huddle's browser SDK, in the shape of twilio-video 2.x. */

export type { ErrorCode } from '../protocol/errors.js';
export type { ChatEntry } from '../protocol/messages.js';
export type {
  NetworkQualityConfiguration,
  NetworkQualityMediaStats,
  NetworkQualitySendOrRecvStats,
  NetworkQualityStats,
  NetworkQualityVerbosity,
} from '../protocol/network-quality.js';
export { type ConnectOptions, connect, SDK_VERSION } from './connect.js';
export {
  type CreateLocalTracksOptions,
  createLocalAudioTrack,
  createLocalScreenTrack,
  createLocalTracks,
  createLocalVideoTrack,
} from './create-local-tracks.js';
export type { EncodingParameters } from './encoding-parameters.js';
export {
  LocalTrackPublicationEvent,
  ParticipantEvent,
  RoomEvent,
  TrackEvent,
  TrackPublicationEvent,
} from './events.js';
export { HuddleError, TwilioError } from './huddle-error.js';
export { LocalDataTrack, type LocalDataTrackOptions } from './local-data-track.js';
export { LocalParticipant, type LocalParticipantEvents } from './local-participant.js';
export {
  LocalAudioTrack,
  type LocalMediaTrack,
  LocalTrack,
  type LocalTrackOptions,
  LocalVideoTrack,
} from './local-track.js';
export { LocalTrackPublication, type LocalTrackPublicationEvents } from './local-track-publication.js';
export { Logger } from './logger.js';
export { Participant, type ParticipantState } from './participant.js';
export {
  type PreflightOptions,
  PreflightTest,
  type PreflightTestReport,
  runPreflight,
} from './preflight.js';
export { RemoteDataTrack } from './remote-data-track.js';
export { RemoteParticipant, type RemoteParticipantEvents } from './remote-participant.js';
export { RemoteTrack, type VideoContentPreferences } from './remote-track.js';
export { RemoteTrackPublication, type RemoteTrackPublicationEvents } from './remote-track-publication.js';
export { Room, type RoomEvents } from './room.js';
export type {
  LocalAudioTrackStats,
  LocalTrackStats,
  LocalVideoTrackStats,
  RemoteAudioTrackStats,
  RemoteTrackStats,
  RemoteVideoTrackStats,
  StatsReport,
  TrackStats,
} from './stats-report.js';
export { Track, type TrackEvents } from './track.js';
export type {
  BandwidthProfileMode,
  BandwidthProfileOptions,
  TrackSwitchOffMode,
  VideoBandwidthProfileOptions,
} from './video-preferences.js';
export type { AddProcessorOptions, VideoProcessor } from './video-processing.js';
export const version = __HUDDLE_VERSION__;
export const isSupported = typeof RTCPeerConnection !== 'undefined' && !!globalThis.navigator?.mediaDevices;
