/**
 * The little of twilio-video's API the page uses. Huddle's SDK and twilio-video both satisfy it,
 * so the page's call code is written once; twilio-video is loaded only when the server runs on
 * Twilio, so the embedded mode's page does not carry it.
 */
import type { BackendKind } from './login';

export interface CallTrack {
  kind: string;
  attach(): HTMLMediaElement;
  detach(): HTMLMediaElement[];
}

export interface CallTrackPublication {
  track: CallTrack | null;
}

export interface CallParticipant {
  sid: string;
  identity: string;
  audioTracks: Map<string, CallTrackPublication>;
  videoTracks: Map<string, CallTrackPublication>;
  /** twilio-video also raises this for data tracks, which cannot be attached: check attach. */
  on(event: 'trackSubscribed' | 'trackUnsubscribed', listener: (track: CallTrack) => void): unknown;
  off(event: 'trackSubscribed' | 'trackUnsubscribed', listener: (track: CallTrack) => void): unknown;
}

export interface CallRoom {
  participants: Map<string, CallParticipant>;
  on(event: 'participantConnected' | 'participantDisconnected', listener: (participant: CallParticipant) => void): unknown;
  on(event: 'disconnected', listener: (room: unknown, error?: { message: string }) => void): unknown;
  on(event: 'reconnecting' | 'reconnected', listener: () => void): unknown;
  disconnect(): unknown;
}

export interface ConnectRequest {
  name: string;
  tracks: MediaStreamTrack[];
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
}

export interface VideoApi {
  connect(token: string, options: ConnectRequest): Promise<CallRoom>;
}

export async function loadVideoApi(backend: BackendKind): Promise<VideoApi> {
  if (backend === 'twilio') return (await import('./twilio-video-api')).twilioVideoApi;
  return (await import('./huddle-video-api')).huddleVideoApi;
}
