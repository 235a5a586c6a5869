import { TERMINAL_ERRORS } from '../protocol/errors.js';
import type { JoinedMessage, MidMapping, OfferMessage, ServerMessage } from '../protocol/messages.js';
import { HuddleError } from './huddle-error.js';
import { openSession, type JoinRequest } from './join-session.js';
import { LocalParticipant, RemoteParticipant, type RemoteTrackPublication } from './participant.js';
import type { SignallingClient } from './signalling-client.js';
import { RemoteTrack, type LocalMediaTrack } from './track.js';
import { TypedEmitter } from './typed-emitter.js';

export enum RoomEvent {
  ParticipantConnected = 'participantConnected',
  ParticipantDisconnected = 'participantDisconnected',
  TrackSubscribed = 'trackSubscribed',
  TrackUnsubscribed = 'trackUnsubscribed',
  Reconnecting = 'reconnecting',
  Reconnected = 'reconnected',
  Disconnected = 'disconnected',
}

export interface RoomEvents {
  participantConnected: (participant: RemoteParticipant) => void;
  participantDisconnected: (participant: RemoteParticipant) => void;
  trackSubscribed: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  trackUnsubscribed: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  reconnecting: (error: HuddleError) => void;
  reconnected: () => void;
  disconnected: (room: Room, error?: HuddleError) => void;
}

/** The server's media line ids for what this page publishes (see docs/protocol.md). */
const PUBLISH_MIDS: Record<string, 'audio' | 'video'> = { pa: 'audio', pv: 'video' };
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
}

export interface StatsReport {
  remoteAudioTrackStats: TrackStats[];
  remoteVideoTrackStats: TrackStats[];
  /** The ICE candidate pair carrying the media: 'host', 'srflx', 'prflx' or 'relay' on each side. */
  activeIceCandidatePair: { localCandidate: { candidateType: string }; remoteCandidate: { candidateType: string } } | null;
}

export interface RoomOptions {
  rtcConfiguration: RTCConfiguration;
  reconnectTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Room extends TypedEmitter<RoomEvents> {
  sid: string;
  readonly name: string;
  readonly localParticipant: LocalParticipant;
  readonly participants = new Map<string, RemoteParticipant>();
  state: 'connected' | 'reconnecting' | 'disconnected' = 'connected';

  private signalling!: SignallingClient;
  private pc!: RTCPeerConnection;
  private mids = new Map<string, MidMapping>();
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
    this.localParticipant = new LocalParticipant(joined.localParticipant, localTracks);
    this.attach(signalling, joined);
  }

  disconnect(): this {
    this.end(undefined);
    return this;
  }

  async getStats(): Promise<StatsReport[]> {
    const report: StatsReport = { remoteAudioTrackStats: [], remoteVideoTrackStats: [], activeIceCandidatePair: null };
    const stats = await this.pc.getStats();
    stats.forEach((s: RTCStats & { selectedCandidatePairId?: string }) => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
      const pair = stats.get(s.selectedCandidatePairId) as RTCIceCandidatePairStats | undefined;
      const typeOf = (id: string | undefined) => (id ? (stats.get(id) as { candidateType?: string } | undefined)?.candidateType ?? 'unknown' : 'unknown');
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
      const entry: TrackStats = { trackSid: mapping.trackSid, packetsReceived: s.packetsReceived ?? 0, bytesReceived: s.bytesReceived ?? 0 };
      if (mapping.kind === 'video') report.remoteVideoTrackStats.push({ ...entry, framesDecoded: s.framesDecoded ?? 0 });
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
    signalling.on('closed', (error) => signalling === this.signalling && this.lost(error ?? new HuddleError('MEDIA_FAILED', 'The server closed the connection')));

    const pc = new RTCPeerConnection(this.options.rtcConfiguration);
    this.pc = pc;
    this.mids = new Map();
    this.negotiation = Promise.resolve();
    pc.addEventListener('track', (event) => pc === this.pc && this.onTrack(event));
    pc.addEventListener('connectionstatechange', () => pc === this.pc && this.onMediaState(pc.connectionState));
  }

  /** Brings the participant list in line with the server's after a (re)join. */
  private reconcile(joined: JoinedMessage): void {
    const present = new Set(joined.participants.map((p) => p.sid));
    for (const sid of this.participants.keys()) {
      if (present.has(sid) || this.absentTimers.has(sid)) continue;
      this.absentTimers.set(sid, setTimeout(() => this.removeParticipant(sid), ABSENT_AFTER_RECONNECT_GRACE_MS));
    }
    for (const info of joined.participants) this.addOrUpdateParticipant(info);
  }

  private addOrUpdateParticipant(info: JoinedMessage['participants'][number]): void {
    clearTimeout(this.absentTimers.get(info.sid));
    this.absentTimers.delete(info.sid);
    const existing = this.participants.get(info.sid);
    if (existing) return existing._updateTracks(info.tracks);
    const participant = new RemoteParticipant(info);
    this.participants.set(participant.sid, participant);
    this.emit(RoomEvent.ParticipantConnected, participant);
  }

  private onMediaState(state: RTCPeerConnectionState): void {
    clearTimeout(this.mediaTimer);
    if (state === 'failed') this.lost(new HuddleError('MEDIA_FAILED'));
    else if (state === 'disconnected') this.mediaTimer = setTimeout(() => this.lost(new HuddleError('MEDIA_FAILED', 'Media stopped flowing')), MEDIA_DISCONNECTED_GRACE_MS);
  }

  private onSignal(message: ServerMessage): void {
    switch (message.type) {
      case 'participantConnected':
        return this.addOrUpdateParticipant(message.participant);
      case 'participantDisconnected':
        return this.removeParticipant(message.participantSid);
      case 'offer': {
        const pc = this.pc;
        this.negotiation = this.negotiation.then(() => this.answer(pc, message)).catch((error) => {
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
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const transceiver of pc.getTransceivers()) {
      const kind = transceiver.mid ? PUBLISH_MIDS[transceiver.mid] : undefined;
      if (!kind) continue;
      const track = this.localTracks.find((t) => t.kind === kind);
      transceiver.direction = track ? 'sendonly' : 'inactive';
      if (transceiver.sender.track !== (track?.mediaStreamTrack ?? null)) {
        await transceiver.sender.replaceTrack(track?.mediaStreamTrack ?? null);
      }
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringComplete(pc);
    if (this.state !== 'connected' || pc !== this.pc) return;
    this.signalling.send({ type: 'answer', sdp: pc.localDescription!.sdp });
  }

  private onTrack(event: RTCTrackEvent): void {
    const mid = event.transceiver.mid;
    const mapping = mid ? this.mids.get(mid) : undefined;
    if (!mapping) return;
    const participant = this.participants.get(mapping.participantSid);
    const publication = participant?.tracks.get(mapping.trackSid);
    if (!participant || !publication) return;
    const track = new RemoteTrack(mapping.kind, event.track, publication.trackName, publication.trackSid);
    participant._subscribed(publication, track);
    this.emit(RoomEvent.TrackSubscribed, track, publication, participant);
  }

  private unsubscribeAll(participant: RemoteParticipant): void {
    const unsubscribed = (track: RemoteTrack, publication: RemoteTrackPublication) =>
      this.emit(RoomEvent.TrackUnsubscribed, track, publication, participant);
    participant.on('trackUnsubscribed', unsubscribed);
    participant._unsubscribeAll();
    participant.off('trackUnsubscribed', unsubscribed);
  }

  private removeParticipant(sid: string): void {
    clearTimeout(this.absentTimers.get(sid));
    this.absentTimers.delete(sid);
    const participant = this.participants.get(sid);
    if (!participant) return;
    this.unsubscribeAll(participant);
    for (const [mid, mapping] of this.mids) if (mapping.participantSid === sid) this.mids.delete(mid);
    this.participants.delete(sid);
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
    for (const participant of this.participants.values()) this.unsubscribeAll(participant);

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
