/**
 * What the rest of the server asks of the media server, whether it runs in this process or in
 * supervised worker processes. The server's room (src/rooms) decides who is admitted; the SFU
 * only carries the media of the participants it is given. A room's media lives on one media
 * room, opened when the room is created and closed when it empties; its sessions are named by an
 * id the caller picks, and everything the SFU has to say to a session comes back through that
 * session's SessionSignals.
 */
import type { ErrorCode } from '../protocol/errors.js';
import type { ServerMessage, TrackPriority, TrackRequest } from '../protocol/messages.js';

/** How the SFU reaches one participant's signalling connection, without knowing what it is. */
export interface SessionSignals {
  send(message: ServerMessage): void;
  /** The SFU ended this participant (its media failed, its worker restarted, the server stops). */
  evict(code: ErrorCode): void;
}

/** A participant admitted to a room, as the SFU needs to know it. */
export interface MediaJoin {
  sessionId: string;
  /** Chosen by the room, so a participant keeps its SID across a reconnection. */
  participantSid: string;
  identity: string;
  /** The tracks it joins with (names unique). */
  tracks: TrackRequest[];
  /** Whether it receives the others' tracks (false: twilio-video's automaticSubscription: false). */
  subscribe: boolean;
  /** The signalling protocol version the client speaks (its join's `protocol`). */
  protocol: number;
}

/** What a joined participant can change about what it publishes. */
export type ParticipantCommand =
  | { type: 'trackState'; trackSid: string; enabled: boolean }
  | { type: 'publish'; track: TrackRequest }
  | { type: 'trackPriority'; trackSid: string; priority: TrackPriority }
  | { type: 'unpublish'; trackSid: string }
  /** A candidate the client trickled after its answer. */
  | { type: 'candidate'; candidate: string }
  /** An offer for a connection carrying one video track in simulcast layers (see PublishOfferMessageSchema). */
  | { type: 'publishOffer'; mid: string; sdp: string }
  | ({ type: 'bandwidthProfile' } & BandwidthProfile)
  | ({ type: 'trackPreferences'; trackSid: string } & TrackPreferences);

/** How a subscriber wants its downlink shared (twilio-video's bandwidthProfile.video). */
export interface BandwidthProfile {
  mode?: 'grid' | 'collaboration' | 'presentation' | undefined;
  dominantSpeakerPriority?: TrackPriority | undefined;
  maxSubscriptionBitrate?: number | undefined;
}

/** What a subscriber wants of one remote video; absent fields stay as they were. */
export interface TrackPreferences {
  on?: boolean | undefined;
  renderWidth?: number | undefined;
  renderHeight?: number | undefined;
  priority?: TrackPriority | null | undefined;
}

/** One room's media, wherever it runs. */
export interface MediaRoomHandle {
  join(join: MediaJoin, signals: SessionSignals): void;
  answer(sessionId: string, sdp: string): void;
  command(sessionId: string, command: ParticipantCommand): void;
  /** Ends a participant's media; `away`: the room holds their seat while they resume (then depart or join). */
  leave(sessionId: string, away?: boolean): void;
  /** Someone who was away gave up their seat (they did not resume in time). */
  depart(participantSid: string): void;
  /** The room emptied: free what is left of it. */
  close(): void;
}

export interface WorkerInfo {
  index: number;
  pid: number;
  alive: boolean;
  participants: number;
  /** The worker's memory as it last reported it (bytes): resident, JS heap in use, and off-heap. */
  memory?: WorkerMemory;
}

export interface WorkerMemory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface SfuService {
  /** Resolves once media can be carried (the workers are up); rejects with why not. */
  ready(): Promise<void>;
  /** Opens the media side of a new room, on the least loaded media worker. */
  openRoom(room: { sid: string; name: string }): MediaRoomHandle;
  /** Media worker processes, for /healthz; empty when the SFU runs in this process. */
  describeWorkers(): WorkerInfo[];
  /** Packets and bytes forwarded since the last call. */
  takeForwardedCounts(): { packets: number; bytes: number };
  /** Closes every media room and stops the media workers (server shutdown). */
  close(): Promise<void>;
}
