import type { NetworkQualityConfiguration } from '../protocol/network-quality.js';
import { type CancelablePromise, cancelable } from './cancelable-promise.js';
import { type CreateLocalTrackOptions, createLocalTracks } from './create-local-tracks.js';
import type { EncodingParameters } from './encoding-parameters.js';
import { HuddleError } from './huddle-error.js';
import { openSession } from './join-session.js';
import { LocalAudioTrack, LocalVideoTrack } from './local-track.js';
import type { PublishedTrack } from './local-track-publication.js';
import { log } from './logger.js';
import { DEFAULT_RECONNECT_DELAYS_MS, ReconnectPolicy } from './reconnect-policy.js';
import { Room } from './room.js';
import { defaultSignallingUrl } from './signalling-client.js';
import { trackRequest } from './track-publisher.js';
import type { BandwidthProfileOptions } from './video-preferences.js';

export { SDK_VERSION } from './join-session.js';

/** twilio-video's codec preferences; the SFU carries VP8 and Opus, whatever is asked. */
export type CodecPreference = string | { codec: string; simulcast?: boolean };

export interface ConnectOptions extends EncodingParameters {
  /** The room to join; when the token's grant names a room, it must be the same. */
  name?: string | null;
  /**
   * Tracks to publish, as Huddle tracks or plain MediaStreamTracks (as twilio-video accepts).
   * When absent, Huddle captures them as `audio` and `video` say (default both).
   */
  tracks?: Array<PublishedTrack | MediaStreamTrack>;
  audio?: boolean | CreateLocalTrackOptions;
  video?: boolean | CreateLocalTrackOptions;
  /** The signalling WebSocket URL; by default the server that served the SDK. */
  signallingUrl?: string;
  /** How long to keep trying to reconnect after losing the server before giving up (ms). */
  reconnectTimeoutMs?: number;
  /** STUN/TURN servers for this page's connection, as twilio-video takes them. */
  iceServers?: RTCIceServer[];
  /** 'relay' sends all media through TURN. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** twilio-video's newer place for the two above. */
  rtcConfiguration?: Pick<RTCConfiguration, 'iceServers' | 'iceTransportPolicy'>;
  /** false: receive nothing (twilio-video's automaticSubscription); the default receives every track. */
  automaticSubscription?: boolean;
  /**
   * twilio-video's: report network quality levels, of this page (`local`, default 1) and of the
   * others (`remote`, default 0), at verbosities 0 to 3; `true` is the defaults. Off by default.
   */
  networkQuality?: boolean | NetworkQualityConfiguration;
  /** Huddle always reports the dominant speaker; taken for twilio-video's option of the name. */
  dominantSpeaker?: boolean;
  /** Preferences only, as in twilio-video: Huddle's SFU forwards VP8 video and Opus audio. */
  preferredAudioCodecs?: CodecPreference[];
  preferredVideoCodecs?: CodecPreference[] | 'auto';
  /**
   * twilio-video's: how this page's downlink is shared among the videos it receives (mode,
   * dominantSpeakerPriority, maxSubscriptionBitrate), and who switches them off and sizes them
   * (clientTrackSwitchOffControl, contentPreferencesMode: 'auto' by default, from the elements
   * they are attached to).
   */
  bandwidthProfile?: BandwidthProfileOptions;
  /** One server is one region: taken and not needed. */
  region?: string;
  /** Taken; Video.Logger sets levels. */
  logLevel?: unknown;
  loggerName?: string;
  /** Twilio's telemetry: a self-hosted server has none to send to. */
  insights?: boolean;
}

function asLocalTrack(track: PublishedTrack | MediaStreamTrack): PublishedTrack {
  if (!(track instanceof MediaStreamTrack)) return track;
  return track.kind === 'audio' ? new LocalAudioTrack(track) : new LocalVideoTrack(track);
}

function networkQualityFrom(option: ConnectOptions['networkQuality']): Required<NetworkQualityConfiguration> {
  if (!option) return { local: 0, remote: 0 };
  if (option === true) return { local: 1, remote: 0 };
  return { local: option.local ?? 1, remote: option.remote ?? 0 };
}

const codecName = (preference: CodecPreference) => (typeof preference === 'string' ? preference : preference.codec);

/** Says so when an app prefers codecs the SFU does not carry (it uses VP8 and Opus anyway). */
function noteCodecPreferences(options: ConnectOptions): void {
  const video = Array.isArray(options.preferredVideoCodecs) ? options.preferredVideoCodecs.map(codecName) : [];
  const audio = (options.preferredAudioCodecs ?? []).map(codecName);
  const other = [...video.filter((c) => c.toUpperCase() !== 'VP8'), ...audio.filter((c) => c.toLowerCase() !== 'opus')];
  if (other.length > 0) log.info(`huddle: this server carries VP8 and Opus; ${other.join(', ')} not used`);
}

/**
 * Whether videos go in simulcast layers. twilio-video sends them only when asked
 * (`{codec: 'VP8', simulcast: true}`, or 'auto'); Huddle's SFU does unless told not to
 * (`{codec: 'VP8', simulcast: false}`), because a self-hosted room has no other way to give a
 * viewer on a thin link less than everyone else gets.
 */
function wantsSimulcast(preferences: ConnectOptions['preferredVideoCodecs']): boolean {
  if (!Array.isArray(preferences)) return true;
  const vp8 = preferences.find((p) => codecName(p).toUpperCase() === 'VP8');
  return !(vp8 && typeof vp8 !== 'string' && vp8.simulcast === false);
}

/**
 * Joins a room, as twilio-video's connect(): resolves once the server has admitted this page.
 * cancel() before then rejects it, stops the tracks it captured itself and leaves the room.
 */
export function connect(token: string, options: ConnectOptions = {}): CancelablePromise<Room> {
  return cancelable((isCanceled) => join(token, options, isCanceled));
}

async function join(token: string, options: ConnectOptions, isCanceled: () => boolean): Promise<Room> {
  noteCodecPreferences(options);
  const captured = options.tracks
    ? []
    : await createLocalTracks({ audio: options.audio ?? true, video: options.video ?? true });
  const tracks = options.tracks?.map(asLocalTrack) ?? captured;
  const giveUp = () => {
    for (const track of captured) track.stop();
    return new Error('Canceled');
  };
  if (isCanceled()) throw giveUp();
  const names = new Set(tracks.map((t) => t.name));
  if (names.size < tracks.length) throw new HuddleError('TRACK_NAME_DUPLICATED', 'Two of the tracks have one name');
  const request = {
    url: options.signallingUrl ?? defaultSignallingUrl(),
    token,
    room: options.name ?? undefined,
    subscribe: options.automaticSubscription ?? true,
    tracks: tracks.map((t) => trackRequest(t)),
  };
  const { signalling, joined } = await openSession(request);
  if (isCanceled()) {
    signalling.close();
    throw giveUp();
  }
  const rtcConfiguration: RTCConfiguration = {
    bundlePolicy: 'max-bundle',
    rtcpMuxPolicy: 'require',
    // The server's (with TURN credentials for this identity) unless the app brought its own.
    iceServers: options.rtcConfiguration?.iceServers ?? options.iceServers ?? joined.iceServers ?? [],
    iceTransportPolicy:
      options.rtcConfiguration?.iceTransportPolicy ?? options.iceTransportPolicy ?? joined.iceTransportPolicy ?? 'all',
  };
  return new Room(joined, signalling, tracks, request, {
    rtcConfiguration,
    encoding: { maxAudioBitrate: options.maxAudioBitrate ?? null, maxVideoBitrate: options.maxVideoBitrate ?? null },
    networkQuality: networkQualityFrom(options.networkQuality),
    reconnectPolicy: new ReconnectPolicy(DEFAULT_RECONNECT_DELAYS_MS, options.reconnectTimeoutMs),
    simulcast: wantsSimulcast(options.preferredVideoCodecs),
    bandwidthProfile: options.bandwidthProfile,
  });
}
