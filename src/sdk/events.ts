/**
 * Every event the SDK raises, in one place: the names (as enums, the way twilio-video's and
 * livekit's users switch on them) and, for each emitter, the listener map with each event's
 * arguments. `room.on(RoomEvent.ParticipantConnected, …)` and `room.on('participantConnected', …)`
 * are the same call.
 *
 * The maps are generic in the classes they carry: those classes import this module for their own
 * maps, and a type import back would be an import cycle. Each class binds its map to the real
 * classes (room.ts: `RoomEvents = RoomEventMap<Room, RemoteParticipant, …>`); index.ts exports the
 * bound ones.
 */
import type { ChatEntry, TrackPriority } from '../protocol/messages.js';
import type { NetworkQualityStats } from '../protocol/network-quality.js';
import type { HuddleError } from './huddle-error.js';

type Listener = (...args: never[]) => void;
/** A listener map for an enum's events: it does not compile if either names an event the other lacks. */
type ListenersOf<
  Names extends string,
  Map extends Record<Names, Listener> & Record<Exclude<keyof Map, Names>, never>,
> = Map;

/** Events of a Room (twilio-video's names). */
export enum RoomEvent {
  ParticipantConnected = 'participantConnected',
  ParticipantDisconnected = 'participantDisconnected',
  ParticipantReconnecting = 'participantReconnecting',
  ParticipantReconnected = 'participantReconnected',
  TrackSubscribed = 'trackSubscribed',
  TrackUnsubscribed = 'trackUnsubscribed',
  TrackPublished = 'trackPublished',
  TrackUnpublished = 'trackUnpublished',
  TrackDisabled = 'trackDisabled',
  TrackEnabled = 'trackEnabled',
  DominantSpeakerChanged = 'dominantSpeakerChanged',
  TrackPublishPriorityChanged = 'trackPublishPriorityChanged',
  TrackMessage = 'trackMessage',
  TrackStarted = 'trackStarted',
  TrackDimensionsChanged = 'trackDimensionsChanged',
  TrackSwitchedOff = 'trackSwitchedOff',
  TrackSwitchedOn = 'trackSwitchedOn',
  ChatMessage = 'chatMessage',
  Reconnecting = 'reconnecting',
  Reconnected = 'reconnected',
  Disconnected = 'disconnected',
}

/**
 * A room's events. The track events repeat every remote participant's own, with the participant
 * last, as twilio-video does.
 */
export type RoomEventMap<Room, RemoteParticipant, RemoteTrack, RemoteTrackPublication> = ListenersOf<
  `${RoomEvent}`,
  {
    /** Someone joined (or, after this page reconnected, was found in the room). */
    participantConnected: (participant: RemoteParticipant) => void;
    /** Someone left; their tracks were unsubscribed first. */
    participantDisconnected: (participant: RemoteParticipant) => void;
    /** Someone's connection dropped: the server holds their seat while they resume (participant.state 'reconnecting'). */
    participantReconnecting: (participant: RemoteParticipant) => void;
    /** They are back; their subscribed tracks play again (the same RemoteTrack objects, on new lines). */
    participantReconnected: (participant: RemoteParticipant) => void;
    trackSubscribed: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
    trackUnsubscribed: (
      track: RemoteTrack,
      publication: RemoteTrackPublication,
      participant: RemoteParticipant,
    ) => void;
    trackPublished: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
    trackUnpublished: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
    trackDisabled: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
    trackEnabled: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
    /** A remote publisher changed its priority for one of its tracks (publication.setPriority()). */
    trackPublishPriorityChanged: (
      priority: TrackPriority,
      publication: RemoteTrackPublication,
      participant: RemoteParticipant,
    ) => void;
    /** A message on a remote participant's data track. */
    trackMessage: (
      data: string | ArrayBuffer,
      track: Extract<RemoteTrack, { kind: 'data' }>,
      participant: RemoteParticipant,
    ) => void;
    /** A subscribed track's media started flowing. */
    trackStarted: (track: RemoteTrack, participant: RemoteParticipant) => void;
    /** A subscribed video's frame size changed. */
    trackDimensionsChanged: (track: RemoteTrack, participant: RemoteParticipant) => void;
    /** The server stopped sending a subscribed video (`track.switchOffReason` says why). */
    trackSwitchedOff: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
    /** It sends it again. */
    trackSwitchedOn: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
    /** Who is speaking now, as twilio-video: a remote participant, or null (nobody, or this page). */
    dominantSpeakerChanged: (participant: RemoteParticipant | null) => void;
    /** A chat message, or (message null) the room's history replaced after a (re)join. */
    chatMessage: (message: ChatEntry | null) => void;
    /** Signalling or media was lost (the error says which); the room is trying to rejoin. */
    reconnecting: (error: HuddleError) => void;
    reconnected: () => void;
    /** The room is over: error is undefined after disconnect(), else why (RECONNECT_FAILED, a terminal code). */
    disconnected: (room: Room, error?: HuddleError) => void;
  }
>;

/** Events of a participant, remote or local (twilio-video's names). */
export enum ParticipantEvent {
  TrackSubscribed = 'trackSubscribed',
  TrackUnsubscribed = 'trackUnsubscribed',
  TrackPublished = 'trackPublished',
  TrackPublicationFailed = 'trackPublicationFailed',
  TrackUnpublished = 'trackUnpublished',
  TrackDisabled = 'trackDisabled',
  TrackEnabled = 'trackEnabled',
  TrackPublishPriorityChanged = 'trackPublishPriorityChanged',
  TrackMessage = 'trackMessage',
  NetworkQualityLevelChanged = 'networkQualityLevelChanged',
  Reconnecting = 'reconnecting',
  Reconnected = 'reconnected',
  Disconnected = 'disconnected',
  TrackStarted = 'trackStarted',
  TrackStopped = 'trackStopped',
  TrackDimensionsChanged = 'trackDimensionsChanged',
  TrackSwitchedOff = 'trackSwitchedOff',
  TrackSwitchedOn = 'trackSwitchedOn',
}

export type RemoteParticipantEventMap<RemoteParticipant, RemoteTrack, RemoteTrackPublication> = ListenersOf<
  Exclude<`${ParticipantEvent}`, 'trackPublicationFailed' | 'trackStopped'>,
  {
    /** This page receives the track now: attach it. */
    trackSubscribed: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
    /** The track is gone (unpublished, or its participant left): detach it. Reconnections (this page's or theirs) keep tracks subscribed. */
    trackUnsubscribed: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
    /** A track published after joining (a screen share); trackSubscribed follows. */
    trackPublished: (publication: RemoteTrackPublication) => void;
    trackUnpublished: (publication: RemoteTrackPublication) => void;
    /** The publisher muted this track. */
    trackDisabled: (publication: RemoteTrackPublication) => void;
    trackEnabled: (publication: RemoteTrackPublication) => void;
    /** The publisher changed its priority for this track. */
    trackPublishPriorityChanged: (priority: TrackPriority, publication: RemoteTrackPublication) => void;
    /** A message on one of its data tracks. */
    trackMessage: (data: string | ArrayBuffer, track: Extract<RemoteTrack, { kind: 'data' }>) => void;
    /** Its network quality level changed (0 to 5; with the remote verbosity asked for, ≥ 1). */
    networkQualityLevelChanged: (level: number, stats: NetworkQualityStats) => void;
    /** Their connection dropped and they are resuming (state 'reconnecting'). */
    reconnecting: (participant: RemoteParticipant) => void;
    /** They resumed (state 'connected'). */
    reconnected: (participant: RemoteParticipant) => void;
    /** They left, or gave their seat up (state 'disconnected'). */
    disconnected: (participant: RemoteParticipant) => void;
    /** One of their subscribed tracks' media started flowing. */
    trackStarted: (track: RemoteTrack) => void;
    /** One of their subscribed videos changed frame size. */
    trackDimensionsChanged: (track: RemoteTrack) => void;
    /** The server stopped sending one of their videos to this page, or sends it again. */
    trackSwitchedOff: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
    trackSwitchedOn: (track: RemoteTrack, publication: RemoteTrackPublication) => void;
  }
>;

export type LocalParticipantEventMap<LocalParticipant, LocalTrackPublication, LocalTrack> = ListenersOf<
  Extract<
    `${ParticipantEvent}`,
    | 'trackPublished'
    | 'trackPublicationFailed'
    | 'networkQualityLevelChanged'
    | 'reconnecting'
    | 'reconnected'
    | 'disconnected'
    | 'trackDisabled'
    | 'trackEnabled'
    | 'trackStarted'
    | 'trackStopped'
    | 'trackDimensionsChanged'
  >,
  {
    /** The server receives this track now (the camera and microphone after joining, a screen share later). */
    trackPublished: (publication: LocalTrackPublication) => void;
    /** publishTrack() failed: the server refused it, or the room reconnected or disconnected first. */
    trackPublicationFailed: (error: HuddleError, track: LocalTrack) => void;
    /** This page's network quality level changed (0 to 5; with the local verbosity asked for, ≥ 1). */
    networkQualityLevelChanged: (level: number, stats: NetworkQualityStats) => void;
    /** As the room's: this page lost the server and is resuming (state 'reconnecting'). */
    reconnecting: (participant: LocalParticipant) => void;
    reconnected: (participant: LocalParticipant) => void;
    /** The room ended (state 'disconnected'). */
    disconnected: (participant: LocalParticipant) => void;
    /** One of its published tracks was disabled (muted) or enabled. */
    trackDisabled: (track: LocalTrack) => void;
    trackEnabled: (track: LocalTrack) => void;
    /** One of its published tracks' media started flowing, or ended. */
    trackStarted: (track: LocalTrack) => void;
    trackStopped: (track: LocalTrack) => void;
    /** One of its published videos changed frame size. */
    trackDimensionsChanged: (track: LocalTrack) => void;
  }
>;

/** Events of a track, local or remote. */
export enum TrackEvent {
  Started = 'started',
  DimensionsChanged = 'dimensionsChanged',
  Restarted = 'restarted',
  Enabled = 'enabled',
  Disabled = 'disabled',
  Stopped = 'stopped',
  Muted = 'muted',
  Unmuted = 'unmuted',
  SwitchedOff = 'switchedOff',
  SwitchedOn = 'switchedOn',
}

export type TrackEventMap<Track> = ListenersOf<
  `${TrackEvent}`,
  {
    /** Media started flowing (first frame or audio); again after restart() once the new capture flows. */
    started: (track: Track) => void;
    /** A video's frame size changed (`track.dimensions`). */
    dimensionsChanged: (track: Track) => void;
    /** restart() swapped in a new capture (another camera or microphone). */
    restarted: (track: Track) => void;
    /** A local track was enabled again, or a remote publisher unmuted. */
    enabled: (track: Track) => void;
    disabled: (track: Track) => void;
    /** The track ended (a screen share stopped from the browser's own button, say). */
    stopped: (track: Track) => void;
    /** A local capture delivers no media for now (the OS or another app took the device), and again does. */
    muted: (track: Track) => void;
    unmuted: (track: Track) => void;
    /** A remote video the server stopped sending this page (twilio-video's track switch-off), with why. */
    switchedOff: (track: Track, reason: string | null) => void;
    switchedOn: (track: Track) => void;
  }
>;

/**
 * Events of a RemoteTrackPublication (twilio-video's names): the same news as its participant's
 * track events, for code that holds only the publication.
 */
export enum TrackPublicationEvent {
  Subscribed = 'subscribed',
  Unsubscribed = 'unsubscribed',
  TrackDisabled = 'trackDisabled',
  TrackEnabled = 'trackEnabled',
  PublishPriorityChanged = 'publishPriorityChanged',
  TrackSwitchedOff = 'trackSwitchedOff',
  TrackSwitchedOn = 'trackSwitchedOn',
}

/**
 * Events of a LocalTrackPublication, as twilio-video names them. twilio-video raises them only for
 * the media warnings an app asks for with `notifyWarnings` (Twilio's recording); Huddle records
 * nothing, so it never raises them: listening is allowed, as in twilio-video without the option.
 */
export enum LocalTrackPublicationEvent {
  Warning = 'warning',
  WarningsCleared = 'warningsCleared',
  TrackDisabled = 'trackDisabled',
  TrackEnabled = 'trackEnabled',
}

export type LocalTrackPublicationEventMap = ListenersOf<
  `${LocalTrackPublicationEvent}`,
  {
    warning: (name: string) => void;
    warningsCleared: () => void;
    /** Its track was disabled (muted) or enabled. */
    trackDisabled: () => void;
    trackEnabled: () => void;
  }
>;

export type RemoteTrackPublicationEventMap<RemoteTrack> = ListenersOf<
  `${TrackPublicationEvent}`,
  {
    subscribed: (track: RemoteTrack) => void;
    unsubscribed: (track: RemoteTrack) => void;
    trackDisabled: () => void;
    trackEnabled: () => void;
    publishPriorityChanged: (priority: TrackPriority) => void;
    trackSwitchedOff: (track: RemoteTrack) => void;
    trackSwitchedOn: (track: RemoteTrack) => void;
  }
>;
