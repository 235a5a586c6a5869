/**
 * The little of twilio-video's API the page uses. Huddle's SDK and twilio-video both satisfy it,
 * so the page's call code is written once; twilio-video is loaded only when the server runs on
 * Twilio, so the embedded mode's page does not carry it.
 */

import type { ChatEntry, LocalMediaTrack } from '../sdk/index.js';

export interface CallTrack {
  kind: string;
  name: string;
  attach(): HTMLMediaElement;
  detach(): HTMLMediaElement[];
}

export interface CallTrackPublication {
  trackName: string;
  track: CallTrack | null;
  isTrackEnabled: boolean;
}

/** This page's own published track, as both SDKs expose it: mute, unmute, switch device. */
export interface CallLocalTrack {
  enable(enabled?: boolean): unknown;
  restart(constraints: MediaTrackConstraints): Promise<unknown>;
}

/** Network quality, 0 to 5 (null until measured): twilio-video's, with the verbosity the page asks for. */
export interface CallNetworkQuality {
  networkQualityLevel: number | null;
  on(event: 'networkQualityLevelChanged', listener: (level: number) => void): unknown;
  off(event: 'networkQualityLevelChanged', listener: (level: number) => void): unknown;
}

export interface CallLocalParticipant {
  sid: string;
  identity: string;
  networkQualityLevel: number | null;
  on(event: 'networkQualityLevelChanged', listener: (level: number) => void): unknown;
  off(event: 'networkQualityLevelChanged', listener: (level: number) => void): unknown;
  audioTracks: Map<string, { track: CallLocalTrack }>;
  videoTracks: Map<string, { track: CallLocalTrack; trackName: string }>;
  publishTrack(track: never): Promise<unknown>;
  unpublishTrack(track: never): unknown;
}

export interface CallParticipant {
  sid: string;
  identity: string;
  /** 'reconnecting' while their connection dropped and the server holds their seat. */
  state: string;
  networkQualityLevel: number | null;
  audioTracks: Map<string, CallTrackPublication>;
  videoTracks: Map<string, CallTrackPublication>;
  on(event: 'networkQualityLevelChanged', listener: (level: number) => void): unknown;
  on(event: 'reconnecting' | 'reconnected', listener: () => void): unknown;
  /** twilio-video also raises this for data tracks, which cannot be attached: check attach. */
  on(event: 'trackSubscribed' | 'trackUnsubscribed', listener: (track: CallTrack) => void): unknown;
  on(
    event: 'trackDisabled' | 'trackEnabled' | 'trackPublished' | 'trackUnpublished',
    listener: (publication: CallTrackPublication) => void,
  ): unknown;
  off(event: 'networkQualityLevelChanged', listener: (level: number) => void): unknown;
  off(event: 'reconnecting' | 'reconnected', listener: () => void): unknown;
  off(event: 'trackSubscribed' | 'trackUnsubscribed', listener: (track: CallTrack) => void): unknown;
  off(
    event: 'trackDisabled' | 'trackEnabled' | 'trackPublished' | 'trackUnpublished',
    listener: (publication: CallTrackPublication) => void,
  ): unknown;
}

export interface CallRoom {
  participants: Map<string, CallParticipant>;
  on(
    event: 'participantConnected' | 'participantDisconnected',
    listener: (participant: CallParticipant) => void,
  ): unknown;
  on(event: 'disconnected', listener: (room: unknown, error?: { message: string }) => void): unknown;
  on(event: 'reconnecting' | 'reconnected', listener: () => void): unknown;
  on(event: 'trackPublished' | 'trackUnpublished', listener: () => void): unknown;
  on(event: 'dominantSpeakerChanged', listener: (participant: { sid: string } | null) => void): unknown;
  on(event: 'chatMessage', listener: (message: ChatEntry | null) => void): unknown;
  localParticipant: CallLocalParticipant;
  disconnect(): unknown;
  /** Chat: Huddle's SDK has it; on twilio-video (which would need a data track) the page hides it. */
  sendChatMessage?(text: string): void;
  chatMessages?: ChatEntry[];
}

export interface ConnectRequest {
  name: string;
  /** The page's own tracks (Huddle's SDK classes); the twilio adapter passes their MediaStreamTracks. */
  tracks: LocalMediaTrack[];
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** The page shows everyone's network quality level (bars on each tile). */
/**
 * How the page's downlink is shared, on both backends: the dominant speaker's video first; the
 * SDK switches off a video whose tile is not on screen and asks for the layer its tile's size
 * needs (twilio-video's 'auto' defaults).
 */
export const BANDWIDTH_PROFILE = { video: { mode: 'collaboration', dominantSpeakerPriority: 'high' } } as const;
/** Videos go in simulcast layers, so a viewer on a thin link gets a lower one instead of a frozen picture. */
export const VIDEO_CODECS = [{ codec: 'VP8' as const, simulcast: true }];

export const NETWORK_QUALITY = { local: 1, remote: 1 } as const;

export interface VideoApi {
  connect(token: string, options: ConnectRequest): Promise<CallRoom>;
}
