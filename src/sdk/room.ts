import { TERMINAL_ERRORS } from '../protocol/errors.js';
import type {
  ChatEntry,
  JoinedMessage,
  MidMapping,
  OfferMessage,
  ServerMessage,
  TrackName,
} from '../protocol/messages.js';
import { HuddleError } from './huddle-error.js';
import { type JoinRequest, openSession } from './join-session.js';
import {
  LocalParticipant,
  LocalTrackPublication,
  RemoteParticipant,
  type RemoteTrackPublication,
} from './participant.js';
import type { SignallingClient } from './signalling-client.js';
import { type LocalMediaTrack, type LocalVideoTrack, RemoteTrack } from './track.js';
import { TypedEmitter } from './typed-emitter.js';

export enum RoomEvent {
  ParticipantConnected = 'participantConnected',
  ParticipantDisconnected = 'participantDisconnected',
  TrackSubscribed = 'trackSubscribed',
  TrackUnsubscribed = 'trackUnsubscribed',
  TrackPublished = 'trackPublished',
  TrackUnpublished = 'trackUnpublished',
  TrackDisabled = 'trackDisabled',
  TrackEnabled = 'trackEnabled',
  DominantSpeakerChanged = 'dominantSpeakerChanged',
  ChatMessage = 'chatMessage',
  Reconnecting = 'reconnecting',
  Reconnected = 'reconnected',
  Disconnected = 'disconnected',
}

export interface RoomEvents {
  participantConnected: (participant: RemoteParticipant) => void;
  participantDisconnected: (participant: RemoteParticipant) => void;
  trackSubscribed: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  trackUnsubscribed: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  trackPublished: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  trackUnpublished: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  trackDisabled: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  trackEnabled: (publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  /** Who is speaking now (this page's own participant included), or null. */
  dominantSpeakerChanged: (participant: RemoteParticipant | LocalParticipant | null) => void;
  /** A chat message, or (message null) the room's history replaced after a (re)join. */
  chatMessage: (message: ChatEntry | null) => void;
  reconnecting: (error: HuddleError) => void;
  reconnected: () => void;
  disconnected: (room: Room, error?: HuddleError) => void;
}

const GATHERING_TIMEOUT_MS = 3000;
export const DEFAULT_RECONNECT_TIMEOUT_MS = 30_000;
/** Waits between reconnection attempts; the last repeats. */
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 3000];
/** ICE 'disconnected' for this long is treated as lost media. */
const MEDIA_DISCONNECTED_GRACE_MS = 5000;
/**
 * After this page reconnects, someone missing from the server's list is most likely reconnecting
 * too (a media worker restart drops a whole room at once): they keep their tile this long.
 */
const ABSENT_AFTER_RECONNECT_GRACE_MS = 8000;

export interface TrackStats {
  trackSid: string;
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded?: number;
  /** Of those, key frames (not in twilio-video): decoding only key frames means the stream is broken. */
  keyFramesDecoded?: number;
}

export interface StatsReport {
  remoteAudioTrackStats: TrackStats[];
  remoteVideoTrackStats: TrackStats[];
  /** The ICE candidate pair carrying the media: 'host', 'srflx', 'prflx' or 'relay' on each side. */
  activeIceCandidatePair: {
    localCandidate: { candidateType: string };
    remoteCandidate: { candidateType: string };
  } | null;
}

export interface RoomOptions {
  rtcConfiguration: RTCConfiguration;
  reconnectTimeoutMs?: number;
}

/** A line on which this page sends one of its own tracks, as the server's last offer listed it. */
interface PublishLine {
  mid: string;
  trackSid: string;
  name: TrackName;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Room extends TypedEmitter<RoomEvents> {
  sid: string;
  readonly name: string;
  readonly localParticipant: LocalParticipant;
  readonly participants = new Map<string, RemoteParticipant>();
  dominantSpeaker: RemoteParticipant | LocalParticipant | null = null;
  /** The room's chat, oldest first: the last 100 messages before this page joined, then every new one. */
  chatMessages: ChatEntry[] = [];
  state: 'connected' | 'reconnecting' | 'disconnected' = 'connected';

  private signalling!: SignallingClient;
  private pc!: RTCPeerConnection;
  private mids = new Map<string, MidMapping>();
  private publishLines: PublishLine[] = [];
  private screen: LocalVideoTrack | null = null;
  private screenPublished: ((publication: LocalTrackPublication) => void) | undefined;
  /** Offers are applied one at a time, in the order they arrive. */
  private negotiation: Promise<void> = Promise.resolve();
  private mediaTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly absentTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /** @internal use connect() */
  constructor(
    joined: JoinedMessage,
    signalling: SignallingClient,
    private readonly localTracks: LocalMediaTrack[],
    private readonly request: JoinRequest,
    private readonly options: RoomOptions,
  ) {
    super();
    this.sid = joined.room.sid;
    this.name = joined.room.name;
    this.localParticipant = new LocalParticipant(joined.localParticipant, this);
    for (const track of localTracks) this.watchLocalTrack(track);
    this.attach(signalling, joined);
  }

  disconnect(): this {
    this.end(undefined);
    return this;
  }

  sendChatMessage(text: string): void {
    if (this.state === 'connected') this.signalling.send({ type: 'chat', text });
  }

  /** Publishes a screen share (a LocalVideoTrack named 'screen'); resolves once the server has its line. */
  publishTrack(track: LocalVideoTrack): Promise<LocalTrackPublication> {
    if (track.name !== 'screen')
      return Promise.reject(
        new HuddleError('INVALID_MESSAGE', "Only a track named 'screen' can be published after joining"),
      );
    if (this.screen) return Promise.reject(new HuddleError('INVALID_MESSAGE', 'A screen is already being shared'));
    this.screen = track;
    this.watchLocalTrack(track);
    this.signalling.send({ type: 'publish', kind: 'video', name: 'screen' });
    return new Promise((resolve) => (this.screenPublished = resolve));
  }

  unpublishTrack(track: LocalMediaTrack): void {
    if (track !== this.screen) return;
    this.screen = null;
    const line = this.publishLines.find((l) => l.name === 'screen');
    if (!line) return;
    this.publishLines = this.publishLines.filter((l) => l !== line);
    this.localParticipant.tracks.delete(line.trackSid);
    void this.transceiverFor(line.mid)?.sender.replaceTrack(null);
    this.signalling.send({ type: 'unpublish', trackSid: line.trackSid });
  }

  async getStats(): Promise<StatsReport[]> {
    const report: StatsReport = { remoteAudioTrackStats: [], remoteVideoTrackStats: [], activeIceCandidatePair: null };
    const stats = await this.pc.getStats();
    stats.forEach((s: RTCStats & { selectedCandidatePairId?: string }) => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
      const pair = stats.get(s.selectedCandidatePairId) as RTCIceCandidatePairStats | undefined;
      const typeOf = (id: string | undefined) =>
        id ? ((stats.get(id) as { candidateType?: string } | undefined)?.candidateType ?? 'unknown') : 'unknown';
      if (pair) {
        report.activeIceCandidatePair = {
          localCandidate: { candidateType: typeOf(pair.localCandidateId) },
          remoteCandidate: { candidateType: typeOf(pair.remoteCandidateId) },
        };
      }
    });
    stats.forEach((s: RTCInboundRtpStreamStats & { mid?: string }) => {
      if (s.type !== 'inbound-rtp' || !s.mid) return;
      const mapping = this.mids.get(s.mid);
      if (!mapping) return;
      const entry: TrackStats = {
        trackSid: mapping.trackSid,
        packetsReceived: s.packetsReceived ?? 0,
        bytesReceived: s.bytesReceived ?? 0,
      };
      if (mapping.kind === 'video')
        report.remoteVideoTrackStats.push({
          ...entry,
          framesDecoded: s.framesDecoded ?? 0,
          keyFramesDecoded: s.keyFramesDecoded ?? 0,
        });
      else report.remoteAudioTrackStats.push(entry);
    });
    return [report];
  }

  /** Takes a fresh signalling session (first join, or a reconnection) and starts media on it. */
  private attach(signalling: SignallingClient, joined: JoinedMessage): void {
    this.signalling = signalling;
    this.sid = joined.room.sid;
    this.localParticipant._setSid(joined.localParticipant.sid);
    this.reconcile(joined);
    signalling.on('message', (message) => signalling === this.signalling && this.onSignal(message));
    signalling.on(
      'closed',
      (error) =>
        signalling === this.signalling &&
        this.lost(error ?? new HuddleError('MEDIA_FAILED', 'The server closed the connection')),
    );

    const pc = new RTCPeerConnection(this.options.rtcConfiguration);
    this.pc = pc;
    this.mids = new Map();
    this.publishLines = [];
    this.negotiation = Promise.resolve();
    pc.addEventListener('track', (event) => pc === this.pc && this.onTrack(event));
    pc.addEventListener('connectionstatechange', () => pc === this.pc && this.onMediaState(pc.connectionState));
  }

  /** Mute and unmute tell the room; a screen share ended from the browser's own button is unpublished. */
  private watchLocalTrack(track: LocalMediaTrack): void {
    const changed = () => this.onLocalTrackChanged(track);
    track.on('enabled', changed);
    track.on('disabled', changed);
    track.on('restarted', changed);
    if (track.name === 'screen') track.once('stopped', () => this.unpublishTrack(track));
  }

  private onLocalTrackChanged(track: LocalMediaTrack): void {
    const line = this.publishLines.find((l) => this.localTrackFor(l.name) === track);
    if (!line || this.state !== 'connected') return;
    // A muted track sends nothing at all, not silence or black frames.
    void this.transceiverFor(line.mid)?.sender.replaceTrack(track.isEnabled ? track.mediaStreamTrack : null);
    this.signalling.send({ type: 'trackState', trackSid: line.trackSid, enabled: track.isEnabled });
  }

  private localTrackFor(name: TrackName): LocalMediaTrack | undefined {
    if (name === 'screen') return this.screen ?? undefined;
    return this.localTracks.find((t) => t.kind === (name === 'microphone' ? 'audio' : 'video') && t.name !== 'screen');
  }

  private transceiverFor(mid: string): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((t) => t.mid === mid);
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
    if (existing) return existing._updateTracks(info.tracks);
    const participant = new RemoteParticipant(info);
    // As twilio-video does, the room repeats every participant's track events.
    participant.on('trackSubscribed', (track, publication) =>
      this.emit(RoomEvent.TrackSubscribed, track, publication, participant),
    );
    participant.on('trackUnsubscribed', (track, publication) =>
      this.emit(RoomEvent.TrackUnsubscribed, track, publication, participant),
    );
    participant.on('trackPublished', (publication) => this.emit(RoomEvent.TrackPublished, publication, participant));
    participant.on('trackUnpublished', (publication) =>
      this.emit(RoomEvent.TrackUnpublished, publication, participant),
    );
    participant.on('trackDisabled', (publication) => this.emit(RoomEvent.TrackDisabled, publication, participant));
    participant.on('trackEnabled', (publication) => this.emit(RoomEvent.TrackEnabled, publication, participant));
    this.participants.set(participant.sid, participant);
    this.emit(RoomEvent.ParticipantConnected, participant);
  }

  private onMediaState(state: RTCPeerConnectionState): void {
    clearTimeout(this.mediaTimer);
    if (state === 'failed') this.lost(new HuddleError('MEDIA_FAILED'));
    else if (state === 'disconnected')
      this.mediaTimer = setTimeout(
        () => this.lost(new HuddleError('MEDIA_FAILED', 'Media stopped flowing')),
        MEDIA_DISCONNECTED_GRACE_MS,
      );
  }

  private onSignal(message: ServerMessage): void {
    switch (message.type) {
      case 'participantConnected':
        return this.addOrUpdateParticipant(message.participant);
      case 'participantDisconnected':
        return this.removeParticipant(message.participantSid);
      case 'trackPublished':
        this.participants.get(message.participantSid)?._published(message.track);
        return;
      case 'trackUnpublished':
        this.participants.get(message.participantSid)?._unpublished(message.trackSid);
        return;
      case 'trackState':
        this.participants.get(message.participantSid)?._setTrackEnabled(message.trackSid, message.enabled);
        return;
      case 'dominantSpeaker': {
        const sid = message.participantSid;
        const speaker =
          sid === null
            ? null
            : sid === this.localParticipant.sid
              ? this.localParticipant
              : (this.participants.get(sid) ?? null);
        if (speaker === this.dominantSpeaker) return;
        this.dominantSpeaker = speaker;
        this.emit(RoomEvent.DominantSpeakerChanged, speaker);
        return;
      }
      case 'chatHistory':
        this.chatMessages = message.messages;
        this.emit(RoomEvent.ChatMessage, null);
        return;
      case 'chat':
        this.chatMessages = [...this.chatMessages, message.message];
        this.emit(RoomEvent.ChatMessage, message.message);
        return;
      case 'offer': {
        const pc = this.pc;
        this.negotiation = this.negotiation
          .then(() => this.answer(pc, message))
          .catch((error) => {
            if (pc !== this.pc) return; // a reconnection replaced this connection meanwhile
            console.error('huddle: negotiation failed', error);
            this.lost(new HuddleError('NEGOTIATION_FAILED', String(error)));
          });
        return;
      }
      case 'error':
        console.warn(`huddle: server reported ${message.code}: ${message.message}`);
        return;
      default:
        return;
    }
  }

  private async answer(pc: RTCPeerConnection, offer: OfferMessage): Promise<void> {
    if (this.state !== 'connected' || pc !== this.pc) return;
    for (const mapping of offer.mids) this.mids.set(mapping.mid, mapping);
    const hadScreenLine = this.publishLines.some((l) => l.name === 'screen');
    this.publishLines = offer.publish;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const transceiver of pc.getTransceivers()) {
      const line = this.publishLines.find((l) => l.mid === transceiver.mid);
      // Lines the server receives on are named p…; an unpublished share's line stays, idle.
      if (!line) {
        if (transceiver.mid?.startsWith('p')) transceiver.direction = 'inactive';
        continue;
      }
      const track = this.localTrackFor(line.name);
      transceiver.direction = track ? 'sendonly' : 'inactive';
      const wanted = track?.isEnabled ? track.mediaStreamTrack : null;
      if (transceiver.sender.track !== wanted) await transceiver.sender.replaceTrack(wanted);
      if (track) this.localParticipant.tracks.set(line.trackSid, new LocalTrackPublication(line.trackSid, track));
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringComplete(pc);
    if (this.state !== 'connected' || pc !== this.pc) return;
    this.signalling.send({ type: 'answer', sdp: pc.localDescription!.sdp });
    // Tracks muted before they had a line: tell the server now that it knows their SIDs.
    for (const line of this.publishLines) {
      const track = this.localTrackFor(line.name);
      if (track && !track.isEnabled)
        this.signalling.send({ type: 'trackState', trackSid: line.trackSid, enabled: false });
    }
    const screenLine = this.publishLines.find((l) => l.name === 'screen');
    if (!hadScreenLine && screenLine && this.screen && this.screenPublished) {
      this.screenPublished(new LocalTrackPublication(screenLine.trackSid, this.screen));
      this.screenPublished = undefined;
    }
  }

  private onTrack(event: RTCTrackEvent): void {
    const mid = event.transceiver.mid;
    const mapping = mid ? this.mids.get(mid) : undefined;
    if (!mapping) return;
    const participant = this.participants.get(mapping.participantSid);
    const publication = participant?.tracks.get(mapping.trackSid);
    if (!participant || !publication) return;
    const track = new RemoteTrack(
      mapping.kind,
      event.track,
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
    for (const [mid, mapping] of this.mids) if (mapping.participantSid === sid) this.mids.delete(mid);
    this.participants.delete(sid);
    if (this.dominantSpeaker === participant) {
      this.dominantSpeaker = null;
      this.emit(RoomEvent.DominantSpeakerChanged, null);
    }
    this.emit(RoomEvent.ParticipantDisconnected, participant);
  }

  /** Signalling or media was lost: give up on errors that retrying cannot fix, else reconnect. */
  private lost(error: HuddleError): void {
    if (this.state !== 'connected') return;
    if (TERMINAL_ERRORS.has(error.code)) return this.end(error);
    void this.reconnect(error);
  }

  private async reconnect(cause: HuddleError): Promise<void> {
    this.state = 'reconnecting';
    clearTimeout(this.mediaTimer);
    this.emit(RoomEvent.Reconnecting, cause);
    this.signalling.close();
    this.pc.close();
    // A screen share does not survive a reconnection: the server forgot it.
    if (this.screen) {
      const screen = this.screen;
      this.screen = null;
      screen.stop();
    }
    for (const participant of this.participants.values()) participant._unsubscribeAll();

    const deadline = Date.now() + (this.options.reconnectTimeoutMs ?? DEFAULT_RECONNECT_TIMEOUT_MS);
    for (let attempt = 0; ; attempt++) {
      await sleep(RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!);
      if (this.state !== 'reconnecting') return;
      try {
        const { signalling, joined } = await openSession({ ...this.request, resume: this.localParticipant.sid });
        if (this.state !== 'reconnecting') {
          signalling.close();
          return;
        }
        this.state = 'connected';
        this.attach(signalling, joined);
        this.emit(RoomEvent.Reconnected);
        return;
      } catch (error) {
        const huddleError = error instanceof HuddleError ? error : new HuddleError('RECONNECT_FAILED', String(error));
        if (TERMINAL_ERRORS.has(huddleError.code)) return this.end(huddleError);
        if (Date.now() > deadline) return this.end(new HuddleError('RECONNECT_FAILED'));
      }
    }
  }

  private end(error: HuddleError | undefined): void {
    if (this.state === 'disconnected') return;
    this.state = 'disconnected';
    clearTimeout(this.mediaTimer);
    this.signalling.close();
    for (const sid of [...this.participants.keys()]) this.removeParticipant(sid);
    this.pc.close();
    this.emit(RoomEvent.Disconnected, this, error);
  }
}

/** Huddle does not trickle: the answer carries every candidate, so wait for gathering (bounded). */
function gatheringComplete(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, GATHERING_TIMEOUT_MS);
    function done() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    }
    function check() {
      if (pc.iceGatheringState === 'complete') done();
    }
    pc.addEventListener('icegatheringstatechange', check);
  });
}
