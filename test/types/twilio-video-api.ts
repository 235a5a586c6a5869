/**
 * Huddle's SDK against twilio-video 2.x's own type definitions (node_modules/twilio-video/tsdef), piece by
 * piece: each `export const x: Twilio… = Huddle…` compiles only if Huddle's piece is assignable to
 * twilio-video's. Nothing here runs; `tsc -p tsconfig.types.json` checks it (test/unit/twilio-types.test.ts).
 *
 * A check Huddle does not pass yet is kept, under `// @ts-expect-error GAP: <what is missing>`: the file
 * compiles today, and stops compiling when the gap closes, so the comment has to go (and the list shrinks).
 * Kinds of gap:
 *   GAP: a member, event, option or export is missing or has the wrong type.
 *   GAP (whole): a summary check (a whole class, module or function) that fails for the gaps listed in its
 *     own section and in those of the classes it holds; it closes only after all of them.
 *   GAP (tsdef-only): twilio-video's .d.ts declares a value its package does not export at runtime
 *     (es5/index.js exports only connect, createLocalAudioTrack, createLocalVideoTrack, createLocalTracks,
 *     runPreflight, isSupported, version, Logger, LocalAudioTrack, LocalVideoTrack, LocalDataTrack): the
 *     other classes are types to apps, and no app constructs them.
 *
 * So that one gap fails one check, members whose types are other classes (room.localParticipant, …) are
 * checked against twilio-video's type with Huddle's classes in its place: the classes themselves are
 * checked in their own sections. Events likewise (see TwilioOn).
 */
import type * as Twilio from 'twilio-video';
import * as Huddle from '../../src/sdk/index.js';
import HuddleVideo from '../../src/sdk/module.js';

/** A value of type T, to check T's assignability (this file is only type-checked, never run). */
declare function of<T>(): T;

type Args<F> = F extends (...args: infer A) => unknown ? A : never;
/** Tuples of A's length or longer. */
type AtLeast<A> = A extends unknown[] ? [...{ [K in keyof A]: unknown }, ...unknown[]] : never;
/**
 * The listener Huddle's emitter takes for event E, or a type no listener fits when it has no such event (for
 * several events with one signature, E a union: when it lacks any of them).
 */
type HuddleListener<Events, E extends string> = [E] extends [keyof Events]
  ? Events[E]
  : { noSuchEvent: Exclude<E, keyof Events> };
/** Huddle's `on(E, listener)`: the listener it takes, and the arguments it calls it with. */
interface HuddleOn<Events, E extends string> {
  on(listener: HuddleListener<Events, E>): void;
  passes: Required<Args<HuddleListener<Events, E>>>;
}
/**
 * twilio-video's `on(E, listener)` overload, L its listener with Huddle's classes for twilio-video's. As when
 * TypeScript compares Huddle's `on` with that overload, the listener types may fit either way (method
 * parameters are bivariant); and Huddle must call the listener with at least as many arguments as L takes.
 */
interface TwilioOn<L> {
  on(listener: L): void;
  passes: AtLeast<Args<L>>;
}
type RoomOn<E extends string> = HuddleOn<Huddle.RoomEvents, E>;
type LocalParticipantOn<E extends string> = HuddleOn<Huddle.LocalParticipantEvents, E>;
type RemoteParticipantOn<E extends string> = HuddleOn<Huddle.RemoteParticipantEvents, E>;
type TrackOn<E extends string> = HuddleOn<Huddle.TrackEvents, E>;
type LocalPublicationOn<E extends string> = HuddleOn<Huddle.LocalTrackPublicationEvents, E>;
type RemotePublicationOn<E extends string> = HuddleOn<Huddle.RemoteTrackPublicationEvents, E>;

/**
 * Option K of Huddle's options type O, with the values it takes (optional, so `undefined` too), or a type
 * no value fits when Huddle does not declare it. Assigning twilio-video's `T[K]` checks Huddle takes them all.
 * An undeclared option is no assignability gap (Huddle ignores it at runtime), but an object literal with it
 * fails the excess-property check against Huddle's own types.
 */
type Option<O, K extends string> = K extends keyof NonNullable<O> ? NonNullable<O>[K] | undefined : { notAnOption: K };
/** Several options at once, every one of which Huddle must take (for MediaImplementationOptions' five hooks). */
type Options<O, K extends string> = { [P in K]?: Option<O, P> };
/** twilio-video's MediaImplementationOptions (getUserMedia and friends, for tests and React Native). */
type MediaImplementation =
  | 'getUserMedia'
  | 'enumerateDevices'
  | 'MediaStream'
  | 'mapMediaElement'
  | 'disposeMediaElement';
type TwilioMediaImplementation = Pick<Twilio.ConnectOptions, MediaImplementation>;

// ─── The module ─────────────────────────────────────────────────────────────────────────────────────────

// @ts-expect-error GAP (whole): fails for every gap below; first, 32 exports are missing: runPreflight, LocalDataTrack, TwilioError, AudioTrack, VideoTrack, Participant, TrackPublication, VideoProcessor, PreflightTest, Remote{Audio,Video,Data}Track, {Local,Remote}{Audio,Video,Data}TrackPublication, StatsReport, TrackStats, {Local,Remote}{,Audio,Video}TrackStats, NetworkQuality{,Media,SendOrRecv,Bandwidth,Latency,FractionLost}Stats
export const defaultExport: typeof Twilio = HuddleVideo;

/** What twilio-video really exports at runtime (es5/index.js), which a page swapping its script tag uses. */
type RuntimeExports =
  | 'connect'
  | 'createLocalAudioTrack'
  | 'createLocalVideoTrack'
  | 'createLocalTracks'
  | 'runPreflight'
  | 'isSupported'
  | 'version'
  | 'Logger'
  | 'LocalAudioTrack'
  | 'LocalVideoTrack'
  | 'LocalDataTrack';
// @ts-expect-error GAP (whole): fails for the gaps of connect, createLocal*, runPreflight, Logger, LocalAudioTrack, LocalVideoTrack, LocalDataTrack below
export const runtimeExports: Pick<typeof Twilio, RuntimeExports> = HuddleVideo;

export const isSupported: typeof Twilio.isSupported = Huddle.isSupported;
export const version: typeof Twilio.version = Huddle.version;
export const isSupportedOnDefault: Pick<typeof Twilio, 'isSupported' | 'version'> = HuddleVideo;

// ─── connect() ──────────────────────────────────────────────────────────────────────────────────────────

// @ts-expect-error GAP (whole): options.name (null), and Room's gaps (below)
export const connect: typeof Twilio.connect = Huddle.connect;
export const connectToken: (token: string) => unknown = Huddle.connect;
export const connectCancel: Pick<ReturnType<typeof Twilio.connect>, 'cancel'> = of<ReturnType<typeof Huddle.connect>>();
export const connectResolves: Promise<Huddle.Room> = of<ReturnType<typeof Huddle.connect>>();

// ConnectOptions, one option a line: Huddle takes every value twilio-video's option takes.
export const connectAudio: Option<Huddle.ConnectOptions, 'audio'> = of<Twilio.ConnectOptions['audio']>();
export const connectVideo: Option<Huddle.ConnectOptions, 'video'> = of<Twilio.ConnectOptions['video']>();
export const connectIceServers: Option<Huddle.ConnectOptions, 'iceServers'> = of<Twilio.ConnectOptions['iceServers']>();
export const connectIcePolicy: Option<Huddle.ConnectOptions, 'iceTransportPolicy'> =
  of<Twilio.ConnectOptions['iceTransportPolicy']>();
// twilio-video's tracks are Array<LocalTrack | MediaStreamTrack>; here with Huddle's classes (LocalDataTrack: see its section).
export const connectTracks: Option<Huddle.ConnectOptions, 'tracks'> =
  of<Array<Huddle.LocalAudioTrack | Huddle.LocalVideoTrack | MediaStreamTrack>>();
export const connectName: Option<Huddle.ConnectOptions, 'name'> = of<Twilio.ConnectOptions['name']>();
type ConnectAudio = Exclude<Huddle.ConnectOptions['audio'], boolean>;
type ConnectVideo = Exclude<Huddle.ConnectOptions['video'], boolean>;
export const connectAudioName: Option<ConnectAudio, 'name'> = of<string>();
export const connectVideoName: Option<ConnectVideo, 'name'> = of<string>();
// @ts-expect-error GAP: ConnectOptions.audio, as an object, has no noiseCancellationOptions (Krisp/RNNoise noise cancellation: a vendor plugin)
export const connectAudioNoise: Option<ConnectAudio, 'noiseCancellationOptions'> =
  of<Twilio.CreateLocalAudioTrackOptions['noiseCancellationOptions']>();
// @ts-expect-error GAP: ConnectOptions.audio, as an object, has no defaultDeviceCaptureMode (follow the OS default microphone)
export const connectAudioDefaultDevice: Option<ConnectAudio, 'defaultDeviceCaptureMode'> =
  of<Twilio.CreateLocalAudioTrackOptions['defaultDeviceCaptureMode']>();
export const connectRtcConfiguration: Option<Huddle.ConnectOptions, 'rtcConfiguration'> = of<RTCConfiguration>();
export const connectBandwidthProfile: Option<Huddle.ConnectOptions, 'bandwidthProfile'> =
  of<Twilio.BandwidthProfileOptions>();
export const connectDominantSpeaker: Option<Huddle.ConnectOptions, 'dominantSpeaker'> = of<boolean>();
export const connectNetworkQuality: Option<Huddle.ConnectOptions, 'networkQuality'> =
  of<Twilio.ConnectOptions['networkQuality']>();
export const connectMaxAudioBitrate: Option<Huddle.ConnectOptions, 'maxAudioBitrate'> =
  of<Twilio.ConnectOptions['maxAudioBitrate']>();
export const connectMaxVideoBitrate: Option<Huddle.ConnectOptions, 'maxVideoBitrate'> =
  of<Twilio.ConnectOptions['maxVideoBitrate']>();
export const connectVideoCodecs: Option<Huddle.ConnectOptions, 'preferredVideoCodecs'> =
  of<Twilio.ConnectOptions['preferredVideoCodecs']>();
export const connectAudioCodecs: Option<Huddle.ConnectOptions, 'preferredAudioCodecs'> =
  of<Twilio.ConnectOptions['preferredAudioCodecs']>();
export const connectAutomaticSubscription: Option<Huddle.ConnectOptions, 'automaticSubscription'> = of<boolean>();
// @ts-expect-error GAP: ConnectOptions lacks receiveTranscriptions (Twilio's real-time transcription: a self-hosted server has no speech-to-text)
export const connectReceiveTranscriptions: Option<Huddle.ConnectOptions, 'receiveTranscriptions'> = of<boolean>();
export const connectRegion: Option<Huddle.ConnectOptions, 'region'> = of<string>();
// @ts-expect-error GAP: ConnectOptions lacks notifyWarnings (Twilio recording's media warnings: Huddle records nothing)
export const connectNotifyWarnings: Option<Huddle.ConnectOptions, 'notifyWarnings'> =
  of<Twilio.ConnectOptions['notifyWarnings']>();
// @ts-expect-error GAP: ConnectOptions lacks enableDscp (DSCP marking of packets)
export const connectEnableDscp: Option<Huddle.ConnectOptions, 'enableDscp'> = of<boolean>();
// @ts-expect-error GAP: ConnectOptions lacks dscpTagging (enableDscp's deprecated name)
export const connectDscpTagging: Option<Huddle.ConnectOptions, 'dscpTagging'> = of<boolean>();
export const connectInsights: Option<Huddle.ConnectOptions, 'insights'> = of<boolean>();
// @ts-expect-error GAP: ConnectOptions lacks eventListener (Twilio's telemetry events)
export const connectEventListener: Option<Huddle.ConnectOptions, 'eventListener'> =
  of<Twilio.ConnectOptions['eventListener']>();
export const connectLogLevel: Option<Huddle.ConnectOptions, 'logLevel'> = of<Twilio.ConnectOptions['logLevel']>();
export const connectLoggerName: Option<Huddle.ConnectOptions, 'loggerName'> = of<string>();
// @ts-expect-error GAP: ConnectOptions lacks RTCPeerConnection (a replacement class, for tests)
export const connectRTCPeerConnection: Option<Huddle.ConnectOptions, 'RTCPeerConnection'> = of<unknown>();
// @ts-expect-error GAP: ConnectOptions lacks MediaImplementationOptions (today none of getUserMedia, enumerateDevices, MediaStream, mapMediaElement, disposeMediaElement: test and React Native hooks)
export const connectMediaImplementation: Options<Huddle.ConnectOptions, MediaImplementation> =
  of<TwilioMediaImplementation>();

// ─── createLocalTracks(), createLocalAudioTrack(), createLocalVideoTrack() ──────────────────────────────

export const createLocalTracks: typeof Twilio.createLocalTracks = Huddle.createLocalTracks;
export const createLocalTracksResolves: Promise<Array<Huddle.LocalAudioTrack | Huddle.LocalVideoTrack>> =
  of<ReturnType<typeof Huddle.createLocalTracks>>();
type HuddleCreateLocalTracksOptions = Parameters<typeof Huddle.createLocalTracks>[0];
export const createLocalTracksAudio: Option<HuddleCreateLocalTracksOptions, 'audio'> =
  of<Twilio.CreateLocalTracksOptions['audio']>();
export const createLocalTracksVideo: Option<HuddleCreateLocalTracksOptions, 'video'> =
  of<Twilio.CreateLocalTracksOptions['video']>();
export const createLocalTracksVideoName: Option<
  Exclude<HuddleCreateLocalTracksOptions, undefined>['video'] & object,
  'name'
> = of<string>();
export const createLocalTracksLogLevel: Option<HuddleCreateLocalTracksOptions, 'logLevel'> =
  of<Twilio.CreateLocalTracksOptions['logLevel']>();
// @ts-expect-error GAP: createLocalTracks() lacks the `tracks` option (tracks to include as they are)
export const createLocalTracksTracks: Option<HuddleCreateLocalTracksOptions, 'tracks'> =
  of<Array<Huddle.LocalAudioTrack | Huddle.LocalVideoTrack>>();
// @ts-expect-error GAP: createLocalTracks() lacks loggerName (deprecated in twilio-video)
export const createLocalTracksLoggerName: Option<HuddleCreateLocalTracksOptions, 'loggerName'> = of<string>();
// @ts-expect-error GAP: createLocalTracks() lacks MediaImplementationOptions (today none of getUserMedia, enumerateDevices, MediaStream, mapMediaElement, disposeMediaElement)
export const createLocalTracksMedia: Options<HuddleCreateLocalTracksOptions, MediaImplementation> =
  of<TwilioMediaImplementation>();

export const createLocalAudioTrack: typeof Twilio.createLocalAudioTrack = Huddle.createLocalAudioTrack;
export const createLocalAudioTrackTakes: (
  options?: Twilio.CreateLocalAudioTrackOptions,
) => Promise<Huddle.LocalAudioTrack> = Huddle.createLocalAudioTrack;
export const createLocalVideoTrack: typeof Twilio.createLocalVideoTrack = Huddle.createLocalVideoTrack;
export const createLocalVideoTrackTakes: (options?: Twilio.CreateLocalTrackOptions) => Promise<Huddle.LocalVideoTrack> =
  Huddle.createLocalVideoTrack;
type HuddleCreateLocalTrackOptions = Parameters<typeof Huddle.createLocalVideoTrack>[0];
type HuddleCreateLocalAudioTrackOptions = Parameters<typeof Huddle.createLocalAudioTrack>[0];
export const createLocalTrackName: Option<HuddleCreateLocalTrackOptions, 'name'> =
  of<Twilio.CreateLocalTrackOptions['name']>();
export const createLocalTrackLogLevel: Option<HuddleCreateLocalTrackOptions, 'logLevel'> =
  of<Twilio.CreateLocalTrackOptions['logLevel']>();
export const createLocalTrackWebKit180748: Option<HuddleCreateLocalTrackOptions, 'workaroundWebKitBug180748'> =
  of<boolean>();
export const createLocalTrackWebKit1208516: Option<HuddleCreateLocalTrackOptions, 'workaroundWebKitBug1208516'> =
  of<boolean>();
// @ts-expect-error GAP: createLocalAudioTrack() lacks noiseCancellationOptions (Krisp/RNNoise noise cancellation: a vendor plugin)
export const createLocalAudioTrackNoise: Option<HuddleCreateLocalAudioTrackOptions, 'noiseCancellationOptions'> =
  of<Twilio.CreateLocalAudioTrackOptions['noiseCancellationOptions']>();
// @ts-expect-error GAP: createLocalAudioTrack() lacks defaultDeviceCaptureMode (follow the OS default microphone)
export const createLocalAudioTrackDefaultDevice: Option<
  HuddleCreateLocalAudioTrackOptions,
  'defaultDeviceCaptureMode'
> = of<Twilio.CreateLocalAudioTrackOptions['defaultDeviceCaptureMode']>();
// @ts-expect-error GAP: createLocal*Track() lack MediaImplementationOptions (today none of getUserMedia, enumerateDevices, MediaStream, mapMediaElement, disposeMediaElement)
export const createLocalTrackMedia: Options<HuddleCreateLocalTrackOptions, MediaImplementation> =
  of<TwilioMediaImplementation>();

// ─── runPreflight() ─────────────────────────────────────────────────────────────────────────────────────

export const runPreflight: typeof Twilio.runPreflight = Huddle.runPreflight;

// ─── Logger ─────────────────────────────────────────────────────────────────────────────────────────────

// @ts-expect-error GAP (whole): methodFactory only (next checks)
export const Logger: typeof Twilio.Logger = Huddle.Logger;
type TwilioLoggerOwn = Omit<Twilio.Log.Logger, 'methodFactory'>;
export const loggerRoot: Omit<Twilio.Log.RootLogger, 'methodFactory' | 'getLogger' | 'getLoggers' | 'default'> =
  Huddle.Logger;
export const loggerNamed: TwilioLoggerOwn = Huddle.Logger.getLogger('twilio-video');
export const loggerGetLogger: (name: string | symbol) => TwilioLoggerOwn = Huddle.Logger.getLogger;
// @ts-expect-error GAP: Logger is npm loglevel 1.9, whose MethodFactory takes methodName: LogLevelNames; twilio-video's vendored loglevel 1.7 types say string. Types only: a methodFactory written for either works on both
export const loggerMethodFactory: Pick<Twilio.Log.Logger, 'methodFactory'> = Huddle.Logger.getLogger('twilio-video');

// ─── Errors ─────────────────────────────────────────────────────────────────────────────────────────────

// twilio-video's .d.ts declares TwilioError only (its specific classes, TrackNameIsDuplicatedError and
// the rest, are not exported; apps switch on `code`, or read `name`).
export const error: Twilio.TwilioError = of<Huddle.HuddleError>();
export const TwilioErrorExport: Huddle.TwilioError = of<Twilio.TwilioError>();
// @ts-expect-error GAP (tsdef-only): the class value TwilioError, constructed as `new TwilioError(message?)`
export const TwilioErrorClass: typeof Twilio.TwilioError = Huddle.TwilioError;

// ─── Tracks ─────────────────────────────────────────────────────────────────────────────────────────────

// Track, the base: kind and name.
export const track: Twilio.Track = of<Huddle.Track>();
/** twilio-video's MediaTrack's (AudioTrack's, VideoTrack's) members but `kind`, `detach` and `on`, which follow. */
type TwilioMediaTrackMembers = Pick<
  Twilio.AudioTrack,
  'name' | 'isStarted' | 'isEnabled' | 'mediaStreamTrack' | 'attach'
>;
export const trackMediaMembers: TwilioMediaTrackMembers = of<Huddle.Track>();
export const trackDetach: Pick<Twilio.AudioTrack, 'detach'> = of<Huddle.Track>();
export const trackDetachAll: () => HTMLMediaElement[] = of<Huddle.Track>().detach;
// @ts-expect-error GAP: AudioTrack, VideoTrack are not exported (types apps use for either side's tracks)
export const AudioTrackExport: Huddle.AudioTrack | Huddle.VideoTrack = of<Twilio.AudioTrack>();

// Track events, which every Huddle track shares (`this` below: the track itself).
export const trackEnabled: TwilioOn<(track: Huddle.Track) => void> = of<TrackOn<'enabled'>>();
export const trackDisabled: TwilioOn<(track: Huddle.Track) => void> = of<TrackOn<'disabled'>>();
export const trackStopped: TwilioOn<(track: Huddle.Track) => void> = of<TrackOn<'stopped'>>();
export const trackStarted: TwilioOn<(track: Huddle.Track) => void> = of<TrackOn<'started'>>();
export const trackMuted: TwilioOn<(track: Huddle.Track) => void> = of<TrackOn<'muted' | 'unmuted'>>();
export const trackDimensionsChanged: TwilioOn<(track: Huddle.Track) => void> = of<TrackOn<'dimensionsChanged'>>();
export const trackSwitchedOff: TwilioOn<(track: Huddle.Track) => void> = of<TrackOn<'switchedOff' | 'switchedOn'>>();

// LocalAudioTrack
export const localAudioTrack: Twilio.LocalAudioTrack = of<Huddle.LocalAudioTrack>();
export const localAudioTrackMembers: TwilioMediaTrackMembers & Pick<Twilio.LocalAudioTrack, 'restart'> =
  of<Huddle.LocalAudioTrack>();
/** twilio-video's local track methods that return `this`, for Huddle's track T. */
interface TwilioLocalTrackChain<T> {
  enable(enabled?: boolean): T;
  disable(): T;
}
export const localAudioTrackChain: TwilioLocalTrackChain<Huddle.LocalAudioTrack> = of<Huddle.LocalAudioTrack>();
export const localAudioTrackKind: Pick<Twilio.LocalAudioTrack, 'kind'> = of<Huddle.LocalAudioTrack>();
export const localTrackId: Pick<Twilio.LocalAudioTrack, 'id'> = of<Huddle.LocalAudioTrack>();
export const localTrackMutedStopped: Pick<Twilio.LocalAudioTrack, 'isMuted' | 'isStopped'> =
  of<Huddle.LocalAudioTrack>();
export const localTrackStop: () => Huddle.LocalAudioTrack = of<Huddle.LocalAudioTrack>().stop;
export const localTrackRestart: Parameters<Huddle.LocalAudioTrack['restart']> = [];
// (noiseCancellation is optional in twilio-video, set only with noiseCancellationOptions: Huddle may leave it out.)

// LocalVideoTrack
export const localVideoTrack: Twilio.LocalVideoTrack = of<Huddle.LocalVideoTrack>();
export const localVideoTrackMembers: TwilioMediaTrackMembers & Pick<Twilio.LocalVideoTrack, 'restart'> =
  of<Huddle.LocalVideoTrack>();
export const localVideoTrackChain: TwilioLocalTrackChain<Huddle.LocalVideoTrack> = of<Huddle.LocalVideoTrack>();
export const localVideoTrackKind: Pick<Twilio.LocalVideoTrack, 'kind'> = of<Huddle.LocalVideoTrack>();
export const localVideoTrackDimensions: Pick<Twilio.LocalVideoTrack, 'dimensions'> = of<Huddle.LocalVideoTrack>();
export const localVideoTrackProcessor: Pick<
  Twilio.LocalVideoTrack,
  'addProcessor' | 'removeProcessor' | 'processor' | 'processedTrack'
> = of<Huddle.LocalVideoTrack>();

export const LocalAudioTrackNew: new (...args: ConstructorParameters<typeof Twilio.LocalAudioTrack>) => unknown =
  Huddle.LocalAudioTrack;
export const LocalVideoTrackNew: new (...args: ConstructorParameters<typeof Twilio.LocalVideoTrack>) => unknown =
  Huddle.LocalVideoTrack;
export const LocalAudioTrackClass: typeof Twilio.LocalAudioTrack = Huddle.LocalAudioTrack;
export const LocalVideoTrackClass: typeof Twilio.LocalVideoTrack = Huddle.LocalVideoTrack;
type HuddleLocalTrackOptions = ConstructorParameters<typeof Huddle.LocalVideoTrack>[1];
export const localTrackOptionName: Option<Exclude<HuddleLocalTrackOptions, string>, 'name'> = of<
  Twilio.LocalTrackOptions['name']
>();
export const localTrackOptionLogLevel: Option<Exclude<HuddleLocalTrackOptions, string>, 'logLevel'> = of<
  Twilio.LocalTrackOptions['logLevel']
>();
// @ts-expect-error GAP: LocalTrackOptions lacks workaroundWebKitBug1208516 (a Safari workaround)
export const localTrackOptionWebKit: Option<
  Exclude<HuddleLocalTrackOptions, string>,
  'workaroundWebKitBug1208516'
> = of<boolean>();

// Local track events (twilio-video's `this`: the track).
export const localAudioTrackStopped: TwilioOn<(track: Huddle.LocalAudioTrack) => void> = of<TrackOn<'stopped'>>();
export const localVideoTrackEnabled: TwilioOn<(track: Huddle.LocalVideoTrack) => void> = of<TrackOn<'enabled'>>();

// LocalDataTrack
export const LocalDataTrackClass: typeof Twilio.LocalDataTrack = Huddle.LocalDataTrack;

// RemoteTrack: Huddle's one class, for twilio-video's RemoteAudioTrack and RemoteVideoTrack.
// @ts-expect-error GAP (whole): RemoteTrack lacks what RemoteAudioTrack and RemoteVideoTrack have (below)
export const remoteTrack: Twilio.RemoteTrack = of<Huddle.RemoteTrack>();
export const remoteTrackMembers: TwilioMediaTrackMembers & Pick<Twilio.RemoteAudioTrack, 'sid' | 'isEnabled'> =
  of<Huddle.RemoteTrack>();
// @ts-expect-error GAP (whole): RemoteTrack as RemoteAudioTrack: kind, priority, isSwitchedOff, setPriority(), detach(element) (below)
export const remoteAudioTrack: Twilio.RemoteAudioTrack = of<Huddle.RemoteTrack>();
// @ts-expect-error GAP (whole): RemoteTrack as RemoteVideoTrack: as RemoteAudioTrack, and dimensions, processors, switchOn(), switchOff(), setContentPreferences() (below)
export const remoteVideoTrack: Twilio.RemoteVideoTrack = of<Huddle.RemoteTrack>();
// @ts-expect-error GAP: RemoteAudioTrack, RemoteVideoTrack, RemoteDataTrack are not exported: one RemoteTrack class whose kind is 'audio' | 'video'
export type RemoteTrackClasses = Huddle.RemoteAudioTrack | Huddle.RemoteVideoTrack | Huddle.RemoteDataTrack;
// @ts-expect-error GAP: setPriority() returns Huddle's RemoteTrack where twilio-video's `this` is a RemoteAudioTrack (one RemoteTrack class, above)
export const remoteTrackPriority: Pick<Twilio.RemoteAudioTrack, 'priority' | 'setPriority'> = of<Huddle.RemoteTrack>();
export const remoteTrackSwitchedOff: Pick<Twilio.RemoteAudioTrack, 'isSwitchedOff'> = of<Huddle.RemoteTrack>();
// @ts-expect-error GAP: switchOn(), switchOff(), setContentPreferences() return Huddle's RemoteTrack where twilio-video's `this` is a RemoteVideoTrack (one RemoteTrack class, above)
export const remoteVideoTrackSwitch: Pick<Twilio.RemoteVideoTrack, 'switchOn' | 'switchOff' | 'setContentPreferences'> =
  of<Huddle.RemoteTrack>();
// @ts-expect-error GAP: remote video tracks lack dimensions (and processors: as LocalVideoTrack)
export const remoteVideoTrackDimensions: Pick<Twilio.RemoteVideoTrack, 'dimensions' | 'processor'> =
  of<Huddle.RemoteTrack>();
// @ts-expect-error GAP: RemoteTrack.kind is 'audio' | 'video', where twilio-video's RemoteTrack union narrows on it
export const remoteTrackKind: Pick<Twilio.RemoteAudioTrack, 'kind'> = of<Huddle.RemoteTrack>();
export const remoteTrackEnabled: TwilioOn<(track: Huddle.RemoteTrack) => void> = of<TrackOn<'enabled'>>();

// ─── Publications ───────────────────────────────────────────────────────────────────────────────────────

// @ts-expect-error GAP: TrackPublication is not exported (twilio-video-app-react types its publications with it)
export const TrackPublicationExport: Huddle.TrackPublication = of<Twilio.TrackPublication>();

// LocalTrackPublication
export const localTrackPublication: Twilio.LocalTrackPublication = of<Huddle.LocalTrackPublication>();
export const localTrackPublicationMembers: Pick<
  Twilio.LocalTrackPublication,
  'trackSid' | 'trackName' | 'kind' | 'isTrackEnabled'
> = of<Huddle.LocalTrackPublication>();
export const localTrackPublicationUnpublish: () => Huddle.LocalTrackPublication =
  of<Huddle.LocalTrackPublication>().unpublish;
export const localTrackPublicationTrack: Huddle.LocalAudioTrack | Huddle.LocalVideoTrack | Huddle.LocalDataTrack =
  of<Huddle.LocalTrackPublication>().track;
export const localTrackPublicationIsEnabled: Pick<Twilio.LocalTrackPublication, 'isEnabled'> =
  of<Huddle.LocalTrackPublication>();
export const localTrackPublicationPriority: Pick<Twilio.LocalTrackPublication, 'priority'> =
  of<Huddle.LocalTrackPublication>();
export const localTrackPublicationSetPriority: (priority: Twilio.Track.Priority) => unknown =
  of<Huddle.LocalTrackPublication>().setPriority;
// @ts-expect-error GAP: one LocalTrackPublication class: no LocalAudioTrackPublication / LocalVideoTrackPublication (kind 'audio' with a LocalAudioTrack, …), so localParticipant.audioTracks' values do not narrow
export type LocalPublicationClasses = Huddle.LocalAudioTrackPublication | Huddle.LocalVideoTrackPublication;
export const localTrackPublicationWarning: TwilioOn<(name: string) => void> = of<LocalPublicationOn<'warning'>>();
export const localTrackPublicationWarningsCleared: TwilioOn<() => void> = of<LocalPublicationOn<'warningsCleared'>>();
export const localTrackPublicationTrackDisabled: TwilioOn<() => void> =
  of<LocalPublicationOn<'trackDisabled' | 'trackEnabled'>>();

// RemoteTrackPublication
// @ts-expect-error GAP (whole): isEnabled, publishPriority, its events, and RemoteTrack's gaps (below)
export const remoteTrackPublication: Twilio.RemoteTrackPublication = of<Huddle.RemoteTrackPublication>();
export const remoteTrackPublicationMembers: Pick<
  Twilio.RemoteTrackPublication,
  'trackSid' | 'trackName' | 'kind' | 'isTrackEnabled' | 'isSubscribed'
> = of<Huddle.RemoteTrackPublication>();
export const remoteTrackPublicationTrack: Huddle.RemoteTrack | Huddle.RemoteDataTrack | null =
  of<Huddle.RemoteTrackPublication>().track;
export const remoteTrackPublicationIsEnabled: Pick<Twilio.RemoteTrackPublication, 'isEnabled'> =
  of<Huddle.RemoteTrackPublication>();
export const remoteTrackPublicationPriority: Pick<Twilio.RemoteTrackPublication, 'publishPriority'> =
  of<Huddle.RemoteTrackPublication>();
// @ts-expect-error GAP: one RemoteTrackPublication class: no RemoteAudioTrackPublication / RemoteVideoTrackPublication (RemoteDataTrackPublication: with data tracks)
export type RemotePublicationClasses = Huddle.RemoteAudioTrackPublication | Huddle.RemoteVideoTrackPublication;
export const remoteTrackPublicationSubscribed: TwilioOn<(track: Huddle.RemoteTrack) => void> =
  of<RemotePublicationOn<'subscribed'>>();
export const remoteTrackPublicationUnsubscribed: TwilioOn<(track: Huddle.RemoteTrack) => void> =
  of<RemotePublicationOn<'unsubscribed'>>();
export const remoteTrackPublicationTrackDisabled: TwilioOn<() => void> = of<RemotePublicationOn<'trackDisabled'>>();
export const remoteTrackPublicationTrackEnabled: TwilioOn<() => void> = of<RemotePublicationOn<'trackEnabled'>>();
// @ts-expect-error GAP: no 'subscriptionFailed' publication event (the server could not send the track)
export const remoteTrackPublicationSubscriptionFailed: TwilioOn<(error: Twilio.TwilioError) => void> =
  of<RemotePublicationOn<'subscriptionFailed'>>();
export const remoteTrackPublicationSwitchedOff: TwilioOn<(track: Huddle.RemoteTrack) => void> =
  of<RemotePublicationOn<'trackSwitchedOff' | 'trackSwitchedOn'>>();
export const remoteTrackPublicationPriorityChanged: TwilioOn<(priority: Twilio.Track.Priority) => void> =
  of<RemotePublicationOn<'publishPriorityChanged'>>();

// ─── Participants ───────────────────────────────────────────────────────────────────────────────────────

// @ts-expect-error GAP: Participant is not exported (twilio-video-app-react types most of its participants with it)
export const ParticipantExport: Huddle.Participant = of<Twilio.Participant>();
// @ts-expect-error GAP (whole): a RemoteParticipant as twilio-video's Participant: state, networkQuality*, dataTracks, its events, its publications' gaps (below)
export const participant: Twilio.Participant = of<Huddle.RemoteParticipant>();
/** Participant's members whose types are no classes. */
type TwilioParticipantOwn = Pick<Twilio.Participant, 'sid' | 'identity'>;
export const participantState: Pick<Twilio.Participant, 'state'> = of<Huddle.RemoteParticipant>();
export const participantNetworkQuality: Pick<Twilio.Participant, 'networkQualityLevel' | 'networkQualityStats'> =
  of<Huddle.RemoteParticipant>();
// @ts-expect-error GAP: participants lack dataTracks (no data tracks; see LocalDataTrack)
export const participantDataTracks: Pick<Twilio.Participant, 'dataTracks'> = of<Huddle.RemoteParticipant>();

// LocalParticipant
// @ts-expect-error GAP (whole): every LocalParticipant gap below, and its publications' and tracks'
export const localParticipant: Twilio.LocalParticipant = of<Huddle.LocalParticipant>();
export const localParticipantOwn: TwilioParticipantOwn = of<Huddle.LocalParticipant>();
export const localParticipantTracks: Pick<Huddle.LocalParticipant, 'tracks'> =
  of<Record<'tracks', Map<string, Huddle.LocalTrackPublication>>>();
export const localParticipantRegion: Pick<Twilio.LocalParticipant, 'signalingRegion'> = of<Huddle.LocalParticipant>();
// twilio-video's publishTrack(track: LocalTrack | MediaStreamTrack, options), unpublishTrack(s), publishTracks: with Huddle's tracks.
type HuddleLocalTrack = Huddle.LocalAudioTrack | Huddle.LocalVideoTrack | Huddle.LocalDataTrack;
export const localParticipantPublishTrack: (
  track: HuddleLocalTrack,
  options?: Twilio.LocalTrackPublishOptions,
) => Promise<Huddle.LocalTrackPublication> = of<Huddle.LocalParticipant>().publishTrack;
export const localParticipantPublishMediaStreamTrack: (
  track: MediaStreamTrack,
  options?: Twilio.MediaStreamTrackPublishOptions,
) => Promise<Huddle.LocalTrackPublication> = of<Huddle.LocalParticipant>().publishTrack;
export const localParticipantPublishTracks: (
  tracks: Array<HuddleLocalTrack | MediaStreamTrack>,
) => Promise<Huddle.LocalTrackPublication[]> = of<Huddle.LocalParticipant>().publishTracks;
export const localParticipantUnpublishTrack: (
  track: HuddleLocalTrack | MediaStreamTrack,
) => Huddle.LocalTrackPublication | null = of<Huddle.LocalParticipant>().unpublishTrack;
export const localParticipantUnpublishTracks: (
  tracks: Array<HuddleLocalTrack | MediaStreamTrack>,
) => Huddle.LocalTrackPublication[] = of<Huddle.LocalParticipant>().unpublishTracks;
// @ts-expect-error GAP: setParameters() returns the LocalParticipant, whose video publications hold a LocalVideoTrack without processors (below)
export const localParticipantSetParameters: Pick<Twilio.LocalParticipant, 'setParameters'> =
  of<Huddle.LocalParticipant>();
// @ts-expect-error GAP: setNetworkQualityConfiguration() returns the LocalParticipant (as setParameters())
export const localParticipantSetNetworkQuality: Pick<Twilio.LocalParticipant, 'setNetworkQualityConfiguration'> =
  of<Huddle.LocalParticipant>();

// LocalParticipant events
export const localParticipantTrackPublished: TwilioOn<(publication: Huddle.LocalTrackPublication) => void> =
  of<LocalParticipantOn<'trackPublished'>>();
export const localParticipantTrackPublicationFailed: TwilioOn<
  (error: Twilio.TwilioError, track: HuddleLocalTrack) => void
> = of<LocalParticipantOn<'trackPublicationFailed'>>();
export const localParticipantDisconnected: TwilioOn<(participant: Huddle.LocalParticipant) => void> =
  of<LocalParticipantOn<'disconnected'>>();
export const localParticipantTrackDisabled: TwilioOn<(track: HuddleLocalTrack) => void> =
  of<LocalParticipantOn<'trackDisabled' | 'trackEnabled'>>();
export const localParticipantTrackStarted: TwilioOn<(track: HuddleLocalTrack) => void> =
  of<LocalParticipantOn<'trackStarted' | 'trackStopped'>>();
export const localParticipantTrackDimensions: TwilioOn<(track: Huddle.LocalVideoTrack) => void> =
  of<LocalParticipantOn<'trackDimensionsChanged'>>();
// @ts-expect-error GAP: no LocalParticipant 'trackWarning' event (recording warnings: Huddle records nothing; the publication's own 'warning' is declared)
export const localParticipantTrackWarning: TwilioOn<(name: string, publication: Huddle.LocalTrackPublication) => void> =
  of<LocalParticipantOn<'trackWarning'>>();
// @ts-expect-error GAP: no LocalParticipant 'trackWarningsCleared' event (recording warnings)
export const localParticipantTrackWarningsCleared: TwilioOn<(publication: Huddle.LocalTrackPublication) => void> =
  of<LocalParticipantOn<'trackWarningsCleared'>>();
export const localParticipantNetworkQuality: TwilioOn<(level: number, stats: Twilio.NetworkQualityStats) => void> =
  of<LocalParticipantOn<'networkQualityLevelChanged'>>();
export const localParticipantReconnecting: TwilioOn<(participant: Huddle.LocalParticipant) => void> =
  of<LocalParticipantOn<'reconnecting' | 'reconnected'>>();

// RemoteParticipant
// @ts-expect-error GAP (whole): every RemoteParticipant gap below, and its publications' and tracks'
export const remoteParticipant: Twilio.RemoteParticipant = of<Huddle.RemoteParticipant>();
export const remoteParticipantOwn: TwilioParticipantOwn = of<Huddle.RemoteParticipant>();
export const remoteParticipantTracks: Pick<Huddle.RemoteParticipant, 'tracks'> =
  of<Record<'tracks', Map<string, Huddle.RemoteTrackPublication>>>();

// RemoteParticipant events
type RemotePublication = Huddle.RemoteTrackPublication;
export const remoteParticipantTrackSubscribed: TwilioOn<
  (track: Huddle.RemoteTrack, publication: RemotePublication) => void
> = of<RemoteParticipantOn<'trackSubscribed'>>();
export const remoteParticipantTrackUnsubscribed: TwilioOn<
  (track: Huddle.RemoteTrack, publication: RemotePublication) => void
> = of<RemoteParticipantOn<'trackUnsubscribed'>>();
export const remoteParticipantTrackPublished: TwilioOn<(publication: RemotePublication) => void> =
  of<RemoteParticipantOn<'trackPublished'>>();
export const remoteParticipantTrackUnpublished: TwilioOn<(publication: RemotePublication) => void> =
  of<RemoteParticipantOn<'trackUnpublished'>>();
export const remoteParticipantTrackDisabled: TwilioOn<(publication: RemotePublication) => void> =
  of<RemoteParticipantOn<'trackDisabled'>>();
export const remoteParticipantTrackEnabled: TwilioOn<(publication: RemotePublication) => void> =
  of<RemoteParticipantOn<'trackEnabled'>>();
export const remoteParticipantDisconnected: TwilioOn<(participant: Huddle.RemoteParticipant) => void> =
  of<RemoteParticipantOn<'disconnected'>>();
export const remoteParticipantReconnecting: TwilioOn<(participant: Huddle.RemoteParticipant) => void> =
  of<RemoteParticipantOn<'reconnecting' | 'reconnected'>>();
export const remoteParticipantNetworkQuality: TwilioOn<(level: number, stats: Twilio.NetworkQualityStats) => void> =
  of<RemoteParticipantOn<'networkQualityLevelChanged'>>();
export const remoteParticipantTrackSwitchedOff: TwilioOn<
  (track: Huddle.RemoteTrack, publication: RemotePublication) => void
> = of<RemoteParticipantOn<'trackSwitchedOff' | 'trackSwitchedOn'>>();
// @ts-expect-error GAP: no RemoteParticipant 'trackSubscriptionFailed' event
export const remoteParticipantSubscriptionFailed: TwilioOn<
  (error: Twilio.TwilioError, publication: RemotePublication) => void
> = of<RemoteParticipantOn<'trackSubscriptionFailed'>>();
export const remoteParticipantTrackStarted: TwilioOn<(track: Huddle.RemoteTrack) => void> =
  of<RemoteParticipantOn<'trackStarted'>>();
export const remoteParticipantTrackDimensions: TwilioOn<(track: Huddle.RemoteTrack) => void> =
  of<RemoteParticipantOn<'trackDimensionsChanged'>>();
export const remoteParticipantTrackMessage: TwilioOn<
  (data: string | ArrayBuffer, track: Twilio.RemoteDataTrack) => void
> = of<RemoteParticipantOn<'trackMessage'>>();
export const remoteParticipantPriorityChanged: TwilioOn<
  (priority: Twilio.Track.Priority, publication: RemotePublication) => void
> = of<RemoteParticipantOn<'trackPublishPriorityChanged'>>();

// ─── Room ───────────────────────────────────────────────────────────────────────────────────────────────

// @ts-expect-error GAP (whole): isRecording, mediaRegion, refreshInactiveMedia(), its events, getStats()'s report, and its participants' gaps (below)
export const room: Twilio.Room = of<Huddle.Room>();
export const roomOwn: Pick<Twilio.Room, 'sid' | 'name' | 'state'> = of<Huddle.Room>();
export const roomLocalParticipant: Huddle.LocalParticipant = of<Huddle.Room>().localParticipant;
export const roomParticipants: Map<string, Huddle.RemoteParticipant> = of<Huddle.Room>().participants;
export const roomDominantSpeaker: Huddle.RemoteParticipant | null = of<Huddle.Room>().dominantSpeaker;
export const roomDisconnect: () => Huddle.Room = of<Huddle.Room>().disconnect;
export const roomGetStats: () => Promise<Huddle.StatsReport[]> = of<Huddle.Room>().getStats;
export const roomIsRecording: Pick<Twilio.Room, 'isRecording'> = of<Huddle.Room>();
export const roomMediaRegion: Pick<Twilio.Room, 'mediaRegion'> = of<Huddle.Room>();
export const roomRefreshInactiveMedia: Pick<Twilio.Room, 'refreshInactiveMedia'> = of<Huddle.Room>();

// Room events
type RP = Huddle.RemoteParticipant;
export const roomParticipantConnected: TwilioOn<(participant: RP) => void> = of<RoomOn<'participantConnected'>>();
export const roomParticipantDisconnected: TwilioOn<(participant: RP) => void> = of<RoomOn<'participantDisconnected'>>();
export const roomDominantSpeakerChanged: TwilioOn<(dominantSpeaker: RP) => void> =
  of<RoomOn<'dominantSpeakerChanged'>>();
export const roomReconnecting: TwilioOn<(error: Twilio.TwilioError) => void> = of<RoomOn<'reconnecting'>>();
export const roomReconnected: TwilioOn<() => void> = of<RoomOn<'reconnected'>>();
// @ts-expect-error GAP: 'disconnected' passes error?: HuddleError; twilio-video's listener takes error: TwilioError (no undefined — though twilio-video passes none after disconnect() too). HuddleError adds huddleCode, so neither listener fits the other; typing it TwilioError | undefined would
export const roomDisconnected: TwilioOn<(room: Huddle.Room, error: Twilio.TwilioError) => void> =
  of<RoomOn<'disconnected'>>();
type RoomTrack<Then extends unknown[] = []> = TwilioOn<(track: Huddle.RemoteTrack, ...rest: Then) => void>;
export const roomTrackSubscribed: RoomTrack<[RemotePublication, RP]> = of<RoomOn<'trackSubscribed'>>();
export const roomTrackUnsubscribed: RoomTrack<[RemotePublication, RP]> = of<RoomOn<'trackUnsubscribed'>>();
type RoomPublication = TwilioOn<(publication: RemotePublication, participant: RP) => void>;
export const roomTrackPublished: RoomPublication = of<RoomOn<'trackPublished'>>();
export const roomTrackUnpublished: RoomPublication = of<RoomOn<'trackUnpublished'>>();
export const roomTrackDisabled: RoomPublication = of<RoomOn<'trackDisabled'>>();
export const roomTrackEnabled: RoomPublication = of<RoomOn<'trackEnabled'>>();
export const roomParticipantReconnecting: TwilioOn<(participant: RP) => void> =
  of<RoomOn<'participantReconnecting' | 'participantReconnected'>>();
// @ts-expect-error GAP: no 'recordingStarted'/'recordingStopped' room events (Huddle records nothing)
export const roomRecording: TwilioOn<() => void> = of<RoomOn<'recordingStarted' | 'recordingStopped'>>();
// @ts-expect-error GAP: no 'transcription' room event (Twilio's real-time transcription: no speech-to-text on a self-hosted server; twilio-video-app-react listens)
export const roomTranscription: TwilioOn<(event: Twilio.TranscriptionEvent) => void> = of<RoomOn<'transcription'>>();
export const roomTrackSwitchedOff: RoomTrack<[RemotePublication, RP]> =
  of<RoomOn<'trackSwitchedOff' | 'trackSwitchedOn'>>();
// @ts-expect-error GAP: no 'trackSubscriptionFailed' room event
export const roomTrackSubscriptionFailed: TwilioOn<
  (error: Twilio.TwilioError, publication: RemotePublication, participant: RP) => void
> = of<RoomOn<'trackSubscriptionFailed'>>();
export const roomTrackStarted: RoomTrack<[RP]> = of<RoomOn<'trackStarted'>>();
export const roomTrackDimensionsChanged: RoomTrack<[RP]> = of<RoomOn<'trackDimensionsChanged'>>();
export const roomTrackMessage: TwilioOn<
  (data: string | ArrayBuffer, track: Twilio.RemoteDataTrack, participant: RP) => void
> = of<RoomOn<'trackMessage'>>();
export const roomTrackPriorityChanged: TwilioOn<
  (priority: Twilio.Track.Priority, publication: RemotePublication, participant: RP) => void
> = of<RoomOn<'trackPublishPriorityChanged'>>();
// @ts-expect-error GAP: no 'trackWarning' room event (recording warnings: Huddle records nothing)
export const roomTrackWarning: TwilioOn<
  (name: string, publication: Huddle.LocalTrackPublication, participant: Huddle.LocalParticipant) => void
> = of<RoomOn<'trackWarning'>>();
// @ts-expect-error GAP: no 'trackWarningsCleared' room event (recording warnings)
export const roomTrackWarningsCleared: TwilioOn<
  (publication: Huddle.LocalTrackPublication, participant: Huddle.LocalParticipant) => void
> = of<RoomOn<'trackWarningsCleared'>>();

// ─── Stats ──────────────────────────────────────────────────────────────────────────────────────────────

export const statsReport: Twilio.StatsReport = of<Huddle.StatsReport>();
export const statsReportPeerConnectionId: Pick<Twilio.StatsReport, 'peerConnectionId'> = of<Huddle.StatsReport>();
export const statsReportLocal: Pick<Twilio.StatsReport, 'localAudioTrackStats' | 'localVideoTrackStats'> =
  of<Huddle.StatsReport>();
type HuddleRemoteAudioStats = Huddle.StatsReport['remoteAudioTrackStats'][number];
type HuddleRemoteVideoStats = Huddle.StatsReport['remoteVideoTrackStats'][number];
export const remoteTrackStatsOwn: Pick<Twilio.RemoteTrackStats, 'trackSid' | 'bytesReceived' | 'packetsReceived'> =
  of<HuddleRemoteAudioStats>();
export const remoteTrackStatsBase: Pick<
  Twilio.RemoteTrackStats,
  'trackId' | 'timestamp' | 'ssrc' | 'packetsLost' | 'codec'
> = of<HuddleRemoteAudioStats>();
export const remoteAudioTrackStats: Pick<Twilio.RemoteAudioTrackStats, 'audioLevel' | 'jitter'> =
  of<HuddleRemoteAudioStats>();
export const remoteVideoTrackStats: Pick<Twilio.RemoteVideoTrackStats, 'dimensions' | 'frameRate'> =
  of<HuddleRemoteVideoStats>();
export const trackStats: Twilio.TrackStats = of<Huddle.TrackStats>();

// ─── Type exports ───────────────────────────────────────────────────────────────────────────────────────
// Only for apps importing types from Huddle's module itself (a page swapping its script tag, or a bundler
// alias of 'twilio-video', keeps twilio-video's types). Each line: one type twilio-video exports and Huddle does not.

export const typeConnectOptions: Huddle.ConnectOptions = of<Omit<Twilio.ConnectOptions, 'name' | 'tracks'>>();
export const typeCreateLocalTracksOptions: Huddle.CreateLocalTracksOptions =
  of<Pick<Twilio.CreateLocalTracksOptions, 'audio' | 'video'>>();
// @ts-expect-error GAP (whole): LocalTrack is Huddle's abstract class; twilio-video's is the union of the three local track classes (their gaps above)
export const typeLocalTrack: Twilio.LocalTrack = of<Huddle.LocalTrack>();
// @ts-expect-error GAP: type CreateLocalTrackOptions is not exported
export type TypeCreateLocalTrackOptions = Huddle.CreateLocalTrackOptions;
// @ts-expect-error GAP: type CreateLocalAudioTrackOptions is not exported
export type TypeCreateLocalAudioTrackOptions = Huddle.CreateLocalAudioTrackOptions;
export type TypeLocalTrackOptions = Huddle.LocalTrackOptions;
export type TypeLocalDataTrackOptions = Huddle.LocalDataTrackOptions;
// @ts-expect-error GAP: type LocalTrackPublishOptions is not exported (Huddle has one, in track-publisher.ts)
export type TypeLocalTrackPublishOptions = Huddle.LocalTrackPublishOptions;
// @ts-expect-error GAP: type MediaStreamTrackPublishOptions is not exported
export type TypeMediaStreamTrackPublishOptions = Huddle.MediaStreamTrackPublishOptions;
// @ts-expect-error GAP: type AudioTrackPublication (Local | Remote) is not exported
export type TypeAudioTrackPublication = Huddle.AudioTrackPublication;
// @ts-expect-error GAP: type VideoTrackPublication (Local | Remote) is not exported
export type TypeVideoTrackPublication = Huddle.VideoTrackPublication;
// @ts-expect-error GAP: types DataTrack, DataTrackPublication are not exported
export type TypeDataTrack = Huddle.DataTrack | Huddle.DataTrackPublication;
// @ts-expect-error GAP: type Log (the loglevel namespace's types) is not exported
export type TypeLog = Huddle.Log.Logger;
// @ts-expect-error GAP: types LogLevel, LogLevels (deprecated) are not exported
export type TypeLogLevel = Huddle.LogLevel | Huddle.LogLevels;
// @ts-expect-error GAP: type NetworkQualityLevel is not exported
export type TypeNetworkQualityLevel = Huddle.NetworkQualityLevel;
export type TypeNetworkQualityStats = Huddle.NetworkQualityStats | Huddle.NetworkQualityMediaStats;
// @ts-expect-error GAP: types NetworkQualitySendOrRecvStats, NetworkQualityBandwidthStats are not exported
export type TypeNetworkQualitySendStats = Huddle.NetworkQualitySendOrRecvStats | Huddle.NetworkQualityBandwidthStats;
// @ts-expect-error GAP: types NetworkQualityLatencyStats, NetworkQualityFractionLostStats are not exported
export type TypeNetworkQualityLatency = Huddle.NetworkQualityLatencyStats | Huddle.NetworkQualityFractionLostStats;
export type TypeNetworkQualityConfiguration = Huddle.NetworkQualityConfiguration | Huddle.NetworkQualityVerbosity;
export type TypeLocalTrackStats = Huddle.LocalTrackStats | Huddle.LocalAudioTrackStats | Huddle.LocalVideoTrackStats;
export type TypeRemoteStats = Huddle.RemoteTrackStats | Huddle.RemoteAudioTrackStats | Huddle.RemoteVideoTrackStats;
// @ts-expect-error GAP: type AudioLevel is not exported
export type TypeAudioLevel = Huddle.AudioLevel;
// @ts-expect-error GAP: types AudioCodec, AudioCodecSettings, OpusCodecSettings are not exported
export type TypeAudioCodec = Huddle.AudioCodec | Huddle.AudioCodecSettings | Huddle.OpusCodecSettings;
// @ts-expect-error GAP: types VideoCodec, VideoCodecSettings, VP8CodecSettings are not exported
export type TypeVideoCodec = Huddle.VideoCodec | Huddle.VideoCodecSettings | Huddle.VP8CodecSettings;
export type TypeEncodingParameters = Huddle.EncodingParameters;
export type TypeBandwidthProfileOptions = Huddle.BandwidthProfileOptions | Huddle.VideoBandwidthProfileOptions;
export type TypeBandwidthProfileMode = Huddle.BandwidthProfileMode | Huddle.TrackSwitchOffMode;
// @ts-expect-error GAP: type VideoRenderDimensions (deprecated) is not exported
export type TypeVideoRenderDimensions = Huddle.VideoRenderDimensions;
// @ts-expect-error GAP: type DefaultDeviceCaptureMode is not exported
export type TypeDefaultDeviceCaptureMode = Huddle.DefaultDeviceCaptureMode;
// @ts-expect-error GAP: types NoiseCancellation, NoiseCancellationOptions are not exported
export type TypeNoiseCancellation = Huddle.NoiseCancellation | Huddle.NoiseCancellationOptions;
// @ts-expect-error GAP: type NoiseCancellationVendor is not exported
export type TypeNoiseCancellationVendor = Huddle.NoiseCancellationVendor;
export type TypeAddProcessorOptions = Huddle.AddProcessorOptions | Huddle.VideoProcessor;
// @ts-expect-error GAP: type TranscriptionEvent is not exported
export type TypeTranscriptionEvent = Huddle.TranscriptionEvent;
export type TypePreflight = Huddle.PreflightTest | Huddle.PreflightOptions | Huddle.PreflightTestReport;

// ─── Classes twilio-video's .d.ts declares as values (not exported at runtime) ─────────────────────────

// @ts-expect-error GAP (tsdef-only): Room's constructor is connect()'s (twilio-video's .d.ts says `new Room()`), and the instances' gaps
export const RoomClass: typeof Twilio.Room = Huddle.Room;
// @ts-expect-error GAP (tsdef-only): LocalParticipant's constructor takes the room's internals; and the instances' gaps
export const LocalParticipantClass: typeof Twilio.LocalParticipant = Huddle.LocalParticipant;
// @ts-expect-error GAP (tsdef-only): RemoteParticipant's constructor takes the server's description; and the instances' gaps
export const RemoteParticipantClass: typeof Twilio.RemoteParticipant = Huddle.RemoteParticipant;
// @ts-expect-error GAP (tsdef-only): LocalTrackPublication's constructor; and the instances' gaps
export const LocalTrackPublicationClass: typeof Twilio.LocalTrackPublication = Huddle.LocalTrackPublication;
// @ts-expect-error GAP (tsdef-only): RemoteTrackPublication's constructor; and the instances' gaps
export const RemoteTrackPublicationClass: typeof Twilio.RemoteTrackPublication = Huddle.RemoteTrackPublication;
// @ts-expect-error GAP (tsdef-only): Track is abstract, with a protected constructor
export const TrackClass: typeof Twilio.Track = Huddle.Track;
// @ts-expect-error GAP (tsdef-only): no VideoProcessor class (apps implement processFrame(); see addProcessor)
export const VideoProcessorClass: typeof Twilio.VideoProcessor = Huddle.VideoProcessor;
// @ts-expect-error GAP (tsdef-only): no PreflightTest class (see runPreflight)
export const PreflightTestClass: typeof Twilio.PreflightTest = Huddle.PreflightTest;
// @ts-expect-error GAP (tsdef-only): no StatsReport class (nor TrackStats, LocalTrackStats, …, RemoteVideoTrackStats classes)
export const StatsReportClass: typeof Twilio.StatsReport = Huddle.StatsReport;
// @ts-expect-error GAP (tsdef-only): no NetworkQualityStats class (nor its five parts' classes)
export const NetworkQualityStatsClass: typeof Twilio.NetworkQualityStats = Huddle.NetworkQualityStats;
