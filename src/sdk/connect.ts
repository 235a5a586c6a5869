import { createLocalTracks } from './create-local-tracks.js';
import { HuddleError } from './huddle-error.js';
import { openSession } from './join-session.js';
import { LocalAudioTrack, type LocalMediaTrack, LocalVideoTrack } from './local-track.js';
import { DEFAULT_RECONNECT_DELAYS_MS, ReconnectPolicy } from './reconnect-policy.js';
import { Room } from './room.js';
import { defaultSignallingUrl } from './signalling-client.js';

export { SDK_VERSION } from './join-session.js';

export interface ConnectOptions {
  /** The room to join; when the token's grant names a room, it must be the same. */
  name?: string;
  /**
   * Tracks to publish, as Huddle tracks or plain MediaStreamTracks (as twilio-video accepts).
   * When absent, Huddle captures them as `audio` and `video` say (default both).
   */
  tracks?: Array<LocalMediaTrack | MediaStreamTrack>;
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
  /** The signalling WebSocket URL; by default the server that served the SDK. */
  signallingUrl?: string;
  /** How long to keep trying to reconnect after losing the server before giving up (ms). */
  reconnectTimeoutMs?: number;
  /** STUN/TURN servers for this page's connection, as twilio-video takes them. */
  iceServers?: RTCIceServer[];
  /** 'relay' sends all media through TURN. */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

function asLocalTrack(track: LocalMediaTrack | MediaStreamTrack): LocalMediaTrack {
  if (!(track instanceof MediaStreamTrack)) return track;
  return track.kind === 'audio' ? new LocalAudioTrack(track) : new LocalVideoTrack(track);
}

/** Joins a room, as twilio-video's connect(): resolves once the server has admitted this page. */
export async function connect(token: string, options: ConnectOptions = {}): Promise<Room> {
  const tracks =
    options.tracks?.map(asLocalTrack) ??
    (await createLocalTracks({ audio: options.audio ?? true, video: options.video ?? true }));
  const names = new Set(tracks.map((t) => t.name));
  if (names.size < tracks.length) throw new HuddleError('TRACK_NAME_DUPLICATED', 'Two of the tracks have one name');
  const request = {
    url: options.signallingUrl ?? defaultSignallingUrl(),
    token,
    room: options.name,
    tracks: tracks.map((t) => ({ kind: t.kind, name: t.name })),
  };
  const { signalling, joined } = await openSession(request);
  const rtcConfiguration: RTCConfiguration = {
    bundlePolicy: 'max-bundle',
    rtcpMuxPolicy: 'require',
    // The server's (with TURN credentials for this identity) unless the app brought its own.
    iceServers: options.iceServers ?? joined.iceServers ?? [],
    iceTransportPolicy: options.iceTransportPolicy ?? joined.iceTransportPolicy ?? 'all',
  };
  return new Room(joined, signalling, tracks, request, {
    rtcConfiguration,
    reconnectPolicy: new ReconnectPolicy(DEFAULT_RECONNECT_DELAYS_MS, options.reconnectTimeoutMs),
  });
}
