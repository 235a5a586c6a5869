import { TERMINAL_ERRORS } from '../protocol/errors.js';
import type { ChatEntry, JoinedMessage, MidMapping, ServerMessage } from '../protocol/messages.js';
import {
  atVerbosity,
  type NetworkQualityConfiguration,
  type NetworkQualityStats,
} from '../protocol/network-quality.js';
import type { EncodingParameters } from './encoding-parameters.js';
import { RoomEvent, type RoomEventMap } from './events.js';
import { HuddleError } from './huddle-error.js';
import { type JoinRequest, openSession } from './join-session.js';
import { LocalParticipant } from './local-participant.js';
import type { PublishedTrack } from './local-track-publication.js';
import { log } from './logger.js';
import { PeerSession } from './peer-session.js';
import type { SendLine } from './publish-lines.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import { RemoteDataTrack } from './remote-data-track.js';
import { RemoteParticipant } from './remote-participant.js';
import { RemoteTrack } from './remote-track.js';
import type { RemoteTrackPublication } from './remote-track-publication.js';
import type { SignallingClient } from './signalling-client.js';
import type { StatsReport } from './stats-report.js';
import { TrackPublisher } from './track-publisher.js';
import { TypedEmitter } from './typed-emitter.js';
import { type BandwidthProfileOptions, VideoPreferences } from './video-preferences.js';

export type RoomEvents = RoomEventMap<Room, RemoteParticipant, RemoteTrack | RemoteDataTrack, RemoteTrackPublication>;

/**
 * After this page reconnects, someone missing from the server's list is most likely reconnecting
 * too (a media worker restart drops a whole room at once): they keep their tile this long.
 */
const ABSENT_AFTER_RECONNECT_GRACE_MS = 8000;

export interface RoomOptions {
  rtcConfiguration: RTCConfiguration;
  /** The caps on what each track sends, as connect()'s options set them; setParameters() changes them. */
  encoding: Required<EncodingParameters>;
  /** How much network quality to report, of this page and of the others (0: none). */
  networkQuality: Required<NetworkQualityConfiguration>;
  reconnectPolicy: ReconnectPolicy;
  /** Videos go in simulcast layers (preferredVideoCodecs), so each viewer gets what its link carries. */
  simulcast: boolean;
  /** twilio-video's bandwidthProfile: how this page's downlink is shared, and who switches videos off. */
  bandwidthProfile: BandwidthProfileOptions | undefined;
}

/** How often this page measures its network quality; and how often it reports it unchanged. */
const NETWORK_QUALITY_INTERVAL_MS = 2000;
const NETWORK_QUALITY_REFRESH_MS = 10_000;

/** Data channels waiting for their publication's news: more are closed (a server would not open them). */
const MAX_UNCLAIMED_CHANNELS = 64;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A joined room, as twilio-video's Room: its participants and their tracks, chat, the dominant
 * speaker, and the events about them. It owns the signalling session and the peer session of the
 * moment, and when either is lost it rejoins as its reconnect policy says.
 */
export class Room extends TypedEmitter<RoomEvents> {
  sid: string;
  readonly name: string;
  readonly localParticipant: LocalParticipant;
  readonly participants = new Map<string, RemoteParticipant>();
  /** Who is speaking, as twilio-video: a remote participant, or null (also while this page speaks). */
  dominantSpeaker: RemoteParticipant | null = null;
  /** The room's chat, oldest first: the last 100 messages before this page joined, then every new one. */
  chatMessages: ChatEntry[] = [];
  state: 'connected' | 'reconnecting' | 'disconnected' = 'connected';
  /** Huddle records nothing (twilio-video's recordingStarted never comes): false, always. */
  readonly isRecording = false;
  /** Twilio's media region; a self-hosted server has one place. */
  readonly mediaRegion = 'self-hosted';

  private signalling!: SignallingClient;
  /** Proves to the server, on reconnection, that this client is the participant it was. */
  private resumeSecret: string | undefined;
  private session!: PeerSession;
  private readonly publisher: TrackPublisher;
  private readonly absentTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Data channels for remote data tracks whose publication this page has not heard of yet, by label. */
  private readonly unclaimedChannels = new Map<string, RTCDataChannel>();
  /** Each remote participant's network quality as its browser reported it, whatever this page shows of it. */
  private readonly remoteQuality = new Map<string, NetworkQualityStats>();
  private readonly qualityTimer: ReturnType<typeof setInterval>;
  /** What was last reported to the server of this page's network quality, and when. */
  private qualityReported: { levels: string; at: number } = { levels: '', at: 0 };

  /** What this page wants of each remote video (switch-off, render size, priority), told to the server. */
  private readonly videoPreferences: VideoPreferences;

  /** @internal use connect() */
  constructor(
    joined: JoinedMessage,
    signalling: SignallingClient,
    localTracks: PublishedTrack[],
    private readonly request: JoinRequest,
    private readonly options: RoomOptions,
  ) {
    super();
    this.sid = joined.room.sid;
    this.name = joined.room.name;
    this.localParticipant = new LocalParticipant(joined.localParticipant, {
      publishTrack: (track, options) => this.publisher.publishTrack(track, options),
      unpublishTrack: (track) => this.publisher.unpublishTrack(track),
      setParameters: (parameters) => this.setEncoding(parameters),
      setNetworkQualityConfiguration: (configuration) => this.setNetworkQualityConfiguration(configuration),
    });
    this.publisher = new TrackPublisher(localTracks, this.localParticipant, {
      isConnected: () => this.state === 'connected',
      session: () => this.session,
      send: (message) => this.signalling.send(message),
    });
    this.videoPreferences = new VideoPreferences(options.bandwidthProfile?.video, (message) => {
      if (this.state === 'connected') this.signalling.send(message);
    });
    this.attach(signalling, joined);
    this.qualityTimer = setInterval(() => void this.measureNetworkQuality(), NETWORK_QUALITY_INTERVAL_MS);
  }

  disconnect(): this {
    this.end(undefined);
    return this;
  }

  /**
   * twilio-video's: plays again every media element of this room's tracks that the browser
   * paused (iOS Safari does, after a phone call or the screen locked).
   */
  refreshInactiveMedia(): void {
    for (const publication of this.localParticipant.tracks.values())
      if (publication.track.kind !== 'data') publication.track._playPausedElements();
    for (const participant of this.participants.values())
      for (const publication of participant.tracks.values())
        if (publication.track && publication.track.kind !== 'data') publication.track._playPausedElements();
  }

  sendChatMessage(text: string): void {
    if (this.state === 'connected') this.signalling.send({ type: 'chat', text });
  }

  async getStats(): Promise<StatsReport[]> {
    return [await this.session.getStats()];
  }

  /** @internal the browser's own stats of the connection of the moment (runPreflight reads them). */
  _rawStats(): Promise<RTCStatsReport> {
    return this.session.rawStats();
  }

  /** Takes a fresh signalling session (first join, or a reconnection) and starts media on it. */
  private attach(signalling: SignallingClient, joined: JoinedMessage): void {
    this.signalling = signalling;
    this.sid = joined.room.sid;
    this.localParticipant._setSid(joined.localParticipant.sid);
    this.resumeSecret = joined.resumeSecret;
    this.reconcile(joined);
    this.publisher.publishedAtJoin(joined.localParticipant.tracks);
    signalling.on('message', (message) => signalling === this.signalling && this.onSignal(message));
    signalling.on(
      'closed',
      (error) =>
        signalling === this.signalling &&
        this.lost(error ?? new HuddleError('SIGNALLING_FAILED', 'The server closed the connection')),
    );
    this.session = new PeerSession(
      this.options.rtcConfiguration,
      this.publisher.tracks,
      this.publisher.dataTracks,
      this.options.encoding,
      {
        answered: (sdp, lines) => this.onAnswered(sdp, lines),
        candidate: (candidate) => {
          if (this.state === 'connected') this.signalling.send({ type: 'candidate', candidate });
        },
        remoteTrack: (line, track) => this.onRemoteTrack(line, track),
        dataChannel: (channel) => this.onDataChannel(channel),
        failed: (error) => this.lost(error),
        publishOffer: (mid, sdp) => {
          if (this.state === 'connected') this.signalling.send({ type: 'publishOffer', mid, sdp });
        },
      },
      this.options.simulcast,
    );
    // The server keeps none of this across a reconnection: tell it again.
    const video = this.options.bandwidthProfile?.video;
    if (video) {
      const { mode, dominantSpeakerPriority, maxSubscriptionBitrate } = video;
      signalling.send({
        type: 'bandwidthProfile',
        ...(mode ? { mode } : {}),
        ...(dominantSpeakerPriority ? { dominantSpeakerPriority } : {}),
        ...(maxSubscriptionBitrate ? { maxSubscriptionBitrate: Math.round(maxSubscriptionBitrate) } : {}),
      });
    }
    this.videoPreferences.resend();
  }

  /**
   * localParticipant.setParameters(): as twilio-video, undefined keeps a cap, null or 0 removes
   * it, and null for the whole argument removes both. Applies at once, and to later connections.
   */
  private setEncoding(parameters: EncodingParameters | null | undefined): void {
    const encoding = this.options.encoding;
    if (parameters === null) {
      encoding.maxAudioBitrate = null;
      encoding.maxVideoBitrate = null;
    } else if (parameters) {
      if (parameters.maxAudioBitrate !== undefined) encoding.maxAudioBitrate = parameters.maxAudioBitrate || null;
      if (parameters.maxVideoBitrate !== undefined) encoding.maxVideoBitrate = parameters.maxVideoBitrate || null;
    }
    if (this.state === 'connected') this.session.applyEncoding();
  }

  /**
   * Every few seconds: this page's network quality, for itself (at the local verbosity) and for
   * everyone else (sent to the server when a level changed, and now and then anyway).
   */
  private async measureNetworkQuality(): Promise<void> {
    if (this.state !== 'connected') return;
    const session = this.session;
    const stats = await session.networkQuality().catch(() => null);
    if (!stats || this.state !== 'connected' || session !== this.session) return;
    this.localParticipant._setNetworkQuality(atVerbosity(stats, this.options.networkQuality.local));
    const levels = JSON.stringify(atVerbosity(stats, 2));
    const now = Date.now();
    if (levels === this.qualityReported.levels && now - this.qualityReported.at < NETWORK_QUALITY_REFRESH_MS) return;
    this.qualityReported = { levels, at: now };
    this.signalling.send({ type: 'networkQuality', stats });
  }

  private setNetworkQualityConfiguration(configuration: NetworkQualityConfiguration): void {
    const config = this.options.networkQuality;
    config.local = configuration.local ?? config.local;
    config.remote = configuration.remote ?? config.remote;
    for (const [sid, stats] of this.remoteQuality)
      this.participants.get(sid)?._setNetworkQuality(atVerbosity(stats, config.remote));
  }

  /** Brings the participant list in line with the server's after a (re)join. */
  private reconcile(joined: JoinedMessage): void {
    const present = new Set(joined.participants.map((p) => p.sid));
    for (const sid of this.participants.keys()) {
      if (present.has(sid) || this.absentTimers.has(sid)) continue;
      this.absentTimers.set(
        sid,
        setTimeout(() => this.removeParticipant(sid), ABSENT_AFTER_RECONNECT_GRACE_MS),
      );
    }
    for (const info of joined.participants) this.addOrUpdateParticipant(info);
  }

  private addOrUpdateParticipant(info: JoinedMessage['participants'][number]): void {
    clearTimeout(this.absentTimers.get(info.sid));
    this.absentTimers.delete(info.sid);
    const existing = this.participants.get(info.sid);
    if (existing) {
      existing._updateTracks(info.tracks);
      return this.setParticipantState(existing, info.state ?? 'connected');
    }
    const participant = new RemoteParticipant(info);
    // As twilio-video does, the room repeats every participant's track events.
    participant.on('trackSubscribed', (track, publication) => {
      if (track instanceof RemoteTrack) this.videoPreferences.add(track);
      this.emit(RoomEvent.TrackSubscribed, track, publication, participant);
    });
    participant.on('trackUnsubscribed', (track, publication) => {
      if (track instanceof RemoteTrack) this.videoPreferences.remove(track);
      this.emit(RoomEvent.TrackUnsubscribed, track, publication, participant);
    });
    participant.on('trackSwitchedOff', (track, publication) =>
      this.emit(RoomEvent.TrackSwitchedOff, track, publication, participant),
    );
    participant.on('trackSwitchedOn', (track, publication) =>
      this.emit(RoomEvent.TrackSwitchedOn, track, publication, participant),
    );
    participant.on('trackPublished', (publication) => this.emit(RoomEvent.TrackPublished, publication, participant));
    participant.on('trackUnpublished', (publication) =>
      this.emit(RoomEvent.TrackUnpublished, publication, participant),
    );
    participant.on('trackDisabled', (publication) => this.emit(RoomEvent.TrackDisabled, publication, participant));
    participant.on('trackEnabled', (publication) => this.emit(RoomEvent.TrackEnabled, publication, participant));
    participant.on('trackMessage', (data, track) => this.emit(RoomEvent.TrackMessage, data, track, participant));
    participant.on('trackStarted', (track) => this.emit(RoomEvent.TrackStarted, track, participant));
    participant.on('trackDimensionsChanged', (track) =>
      this.emit(RoomEvent.TrackDimensionsChanged, track, participant),
    );
    participant.on('trackPublishPriorityChanged', (priority, publication) =>
      this.emit(RoomEvent.TrackPublishPriorityChanged, priority, publication, participant),
    );
    this.participants.set(participant.sid, participant);
    this.emit(RoomEvent.ParticipantConnected, participant);
  }

  private onSignal(message: ServerMessage): void {
    switch (message.type) {
      case 'participantConnected':
        this.addOrUpdateParticipant(message.participant);
        return this.claimWaitingChannels();
      case 'participantDisconnected':
        return this.removeParticipant(message.participantSid);
      case 'participantReconnecting': {
        const participant = this.participants.get(message.participantSid);
        if (!participant) return;
        // Their lines are freed for others' tracks: their own tracks show nothing until they return.
        this.session.forgetParticipant(participant.sid);
        for (const publication of participant.tracks.values())
          if (publication.track instanceof RemoteTrack) publication.track._lineGone();
        return this.setParticipantState(participant, 'reconnecting');
      }
      case 'participantReconnected': {
        const participant = this.participants.get(message.participant.sid);
        if (participant) {
          // Their old lines are gone: the offer that follows brings their tracks on new ones,
          // and each subscribed track plays them (twilio-video keeps them subscribed).
          this.session.forgetParticipant(participant.sid);
          participant._updateTracks(message.participant.tracks);
          this.setParticipantState(participant, 'connected');
        } else this.addOrUpdateParticipant(message.participant);
        return this.claimWaitingChannels();
      }
      case 'trackPublished':
        this.participants.get(message.participantSid)?._published(message.track);
        return this.claimWaitingChannels();
      case 'linkLoss':
        return this.session.noteLinkLoss(message.up, message.down);
      case 'networkQuality':
        this.remoteQuality.set(message.participantSid, message.stats);
        this.participants
          .get(message.participantSid)
          ?._setNetworkQuality(atVerbosity(message.stats, this.options.networkQuality.remote));
        return;
      case 'dataTrackPublished':
        return this.publisher.dataPublished(message.trackSid, message.name);
      case 'trackUnpublished':
        this.participants.get(message.participantSid)?._unpublished(message.trackSid);
        this.session.forgetTrack(message.trackSid);
        return;
      case 'trackState':
        this.participants.get(message.participantSid)?._setTrackEnabled(message.trackSid, message.enabled);
        return;
      case 'trackPriority':
        this.participants.get(message.participantSid)?._setTrackPriority(message.trackSid, message.priority);
        return;
      case 'dominantSpeaker':
        return this.setDominantSpeaker(message.participantSid);
      case 'chatHistory':
        this.chatMessages = message.messages;
        this.emit(RoomEvent.ChatMessage, null);
        return;
      case 'chat':
        this.chatMessages = [...this.chatMessages, message.message];
        this.emit(RoomEvent.ChatMessage, message.message);
        return;
      case 'offer':
        return this.session.applyOffer(message);
      case 'candidates':
        return this.session.addServerCandidates(message.candidates);
      case 'publishAnswer':
        return this.session.publishAnswered(message.mid, message.sdp);
      case 'layersActive':
        return this.session.setLayersActive(message.mid, message.active);
      case 'trackSwitchedOff':
      case 'trackSwitchedOn':
        for (const participant of this.participants.values()) {
          const track = participant.tracks.get(message.trackSid)?.track;
          if (track instanceof RemoteTrack) {
            track._switched(
              message.type === 'trackSwitchedOff',
              message.type === 'trackSwitchedOff' ? message.reason : null,
            );
          }
        }
        return;
      case 'error': {
        const error = HuddleError.fromMessage(message.code, message.message);
        if (message.ref === 'publish') return this.publisher.refused(error, message.track);
        if (message.ref === 'answer') return this.session.answerRefused(error);
        // A video the server would not take in layers is not sent: say so plainly.
        if (message.ref === 'publishOffer') return log.error('huddle: the server refused a layered video', error);
        log.warn(`huddle: server reported ${message.code}: ${message.message}`);
        return;
      }
      default:
        return;
    }
  }

  private onAnswered(sdp: string, lines: readonly SendLine[]): void {
    if (this.state !== 'connected') return;
    this.signalling.send({ type: 'answer', sdp });
    this.publisher.answered(lines);
  }

  private setParticipantState(participant: RemoteParticipant, state: 'connected' | 'reconnecting'): void {
    if (!participant._setState(state)) return;
    this.emit(
      state === 'reconnecting' ? RoomEvent.ParticipantReconnecting : RoomEvent.ParticipantReconnected,
      participant,
    );
  }

  private setDominantSpeaker(sid: string | null): void {
    const speaker = sid === null ? null : (this.participants.get(sid) ?? null);
    if (speaker === this.dominantSpeaker) return;
    this.dominantSpeaker = speaker;
    this.emit(RoomEvent.DominantSpeakerChanged, speaker);
  }

  /**
   * A channel the server opened for a remote data track (labelled with its SID). It may come
   * before the news of the track's publication (a data channel and the signalling socket race):
   * it then waits for it, and is claimed when the publication arrives.
   */
  private onDataChannel(channel: RTCDataChannel): void {
    if (this.claimDataChannel(channel)) return;
    if (this.unclaimedChannels.size >= MAX_UNCLAIMED_CHANNELS) return channel.close();
    this.unclaimedChannels.set(channel.label, channel);
    channel.addEventListener('close', () => {
      if (this.unclaimedChannels.get(channel.label) === channel) this.unclaimedChannels.delete(channel.label);
    });
  }

  private claimDataChannel(channel: RTCDataChannel): boolean {
    for (const participant of this.participants.values()) {
      const publication = participant.tracks.get(channel.label);
      if (publication?.kind !== 'data') continue;
      this.unclaimedChannels.delete(channel.label);
      if (publication.track) (publication.track as RemoteDataTrack)._resume(channel);
      else
        participant._subscribed(publication, new RemoteDataTrack(publication.trackSid, publication.trackName, channel));
      return true;
    }
    return false;
  }

  /** Data channels waiting for their publication, claimed now that it may have come. */
  private claimWaitingChannels(): void {
    for (const channel of [...this.unclaimedChannels.values()]) this.claimDataChannel(channel);
  }

  private onRemoteTrack(line: MidMapping, mediaStreamTrack: MediaStreamTrack): void {
    const participant = this.participants.get(line.participantSid);
    const publication = participant?.tracks.get(line.trackSid);
    if (!participant || !publication) return;
    // Kept subscribed across a reconnection (this page's or theirs): the same track, new media.
    if (publication.track instanceof RemoteTrack && publication.track.kind === line.kind)
      return publication.track._resume(mediaStreamTrack);
    const track = new RemoteTrack(
      line.kind,
      mediaStreamTrack,
      publication.trackName,
      publication.trackSid,
      publication.isTrackEnabled,
    );
    participant._subscribed(publication, track);
  }

  private removeParticipant(sid: string): void {
    clearTimeout(this.absentTimers.get(sid));
    this.absentTimers.delete(sid);
    const participant = this.participants.get(sid);
    if (!participant) return;
    participant._unsubscribeAll();
    this.session.forgetParticipant(sid);
    this.participants.delete(sid);
    this.remoteQuality.delete(sid);
    if (this.dominantSpeaker === participant) {
      this.dominantSpeaker = null;
      this.emit(RoomEvent.DominantSpeakerChanged, null);
    }
    participant._setState('disconnected');
    this.emit(RoomEvent.ParticipantDisconnected, participant);
  }

  /** Signalling or media was lost: give up on errors that retrying cannot fix, else reconnect. */
  private lost(error: HuddleError): void {
    if (this.state !== 'connected') return;
    if (TERMINAL_ERRORS.has(error.huddleCode)) return this.end(error);
    void this.reconnect(error);
  }

  private async reconnect(cause: HuddleError): Promise<void> {
    this.state = 'reconnecting';
    // The network is down for now: level 0, as twilio-video reports while reconnecting.
    if (this.options.networkQuality.local > 0)
      this.localParticipant._setNetworkQuality({ level: 0, audio: null, video: null });
    this.qualityReported = { levels: '', at: 0 };
    this.emit(RoomEvent.Reconnecting, cause);
    this.localParticipant._setState('reconnecting');
    // Not a goodbye: the server holds this page's seat, and the others see it reconnecting.
    this.signalling.close({ resuming: true });
    this.session.close();
    this.publisher.connectionLost(cause);
    // Remote tracks stay subscribed, as in twilio-video: the new connection's lines feed them.

    const lostAt = Date.now();
    let lastError: unknown = cause;
    for (let attempt = 0; ; attempt++) {
      const delay = this.options.reconnectPolicy.nextDelay(attempt, Date.now() - lostAt);
      if (delay === null) return this.end(new HuddleError('RECONNECT_FAILED', undefined, { cause: lastError }));
      await sleep(delay);
      if (this.state !== 'reconnecting') return;
      try {
        const { signalling, joined } = await openSession({
          ...this.request,
          // The room it is in: joined without a name, it was given a room of its own.
          room: this.name,
          tracks: this.publisher.requests,
          resume: this.localParticipant.sid,
          resumeSecret: this.resumeSecret,
        });
        if (this.state !== 'reconnecting') {
          signalling.close();
          return;
        }
        this.state = 'connected';
        this.attach(signalling, joined);
        this.emit(RoomEvent.Reconnected);
        this.localParticipant._setState('connected');
        return;
      } catch (error) {
        if (error instanceof HuddleError && TERMINAL_ERRORS.has(error.huddleCode)) return this.end(error);
        lastError = error;
      }
    }
  }

  private end(error: HuddleError | undefined): void {
    if (this.state === 'disconnected') return;
    this.state = 'disconnected';
    clearInterval(this.qualityTimer);
    this.videoPreferences.close();
    this.signalling.close();
    this.session.close();
    this.publisher.ended(error);
    for (const sid of [...this.participants.keys()]) this.removeParticipant(sid);
    this.localParticipant._setState('disconnected');
    this.emit(RoomEvent.Disconnected, this, error);
  }
}
