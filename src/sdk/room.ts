import type { JoinedMessage, MidMapping, OfferMessage, ServerMessage } from '../protocol/messages.js';
import { HuddleError } from './huddle-error.js';
import { LocalParticipant, RemoteParticipant, type RemoteTrackPublication } from './participant.js';
import type { SignallingClient } from './signalling-client.js';
import { RemoteTrack, type LocalMediaTrack } from './track.js';
import { TypedEmitter } from './typed-emitter.js';

export enum RoomEvent {
  ParticipantConnected = 'participantConnected',
  ParticipantDisconnected = 'participantDisconnected',
  TrackSubscribed = 'trackSubscribed',
  TrackUnsubscribed = 'trackUnsubscribed',
  Disconnected = 'disconnected',
}

export interface RoomEvents {
  participantConnected: (participant: RemoteParticipant) => void;
  participantDisconnected: (participant: RemoteParticipant) => void;
  trackSubscribed: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  trackUnsubscribed: (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => void;
  disconnected: (room: Room, error?: HuddleError) => void;
}

/** The server's media line ids for what this page publishes (see docs/protocol.md). */
const PUBLISH_MIDS: Record<string, 'audio' | 'video'> = { pa: 'audio', pv: 'video' };
const GATHERING_TIMEOUT_MS = 3000;

export interface TrackStats {
  trackSid: string;
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded?: number;
}

export interface StatsReport {
  remoteAudioTrackStats: TrackStats[];
  remoteVideoTrackStats: TrackStats[];
}

export class Room extends TypedEmitter<RoomEvents> {
  readonly sid: string;
  readonly name: string;
  readonly localParticipant: LocalParticipant;
  readonly participants = new Map<string, RemoteParticipant>();
  state: 'connected' | 'disconnected' = 'connected';

  private readonly pc: RTCPeerConnection;
  private readonly mids = new Map<string, MidMapping>();
  /** Offers are applied one at a time, in the order they arrive. */
  private negotiation: Promise<void> = Promise.resolve();

  /** @internal use connect() */
  constructor(joined: JoinedMessage, private readonly signalling: SignallingClient, private readonly localTracks: LocalMediaTrack[]) {
    super();
    this.sid = joined.room.sid;
    this.name = joined.room.name;
    this.localParticipant = new LocalParticipant(joined.localParticipant, localTracks);
    for (const info of joined.participants) this.participants.set(info.sid, new RemoteParticipant(info));

    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.pc.addEventListener('track', (event) => this.onTrack(event));
    this.pc.addEventListener('connectionstatechange', () => {
      if (this.pc.connectionState === 'failed') this.end(new HuddleError('MEDIA_FAILED'));
    });
    signalling.on('message', (message) => this.onSignal(message));
    signalling.on('closed', (error) => this.end(error));
  }

  disconnect(): this {
    this.signalling.close();
    this.end(undefined);
    return this;
  }

  async getStats(): Promise<StatsReport[]> {
    const report: StatsReport = { remoteAudioTrackStats: [], remoteVideoTrackStats: [] };
    const stats = await this.pc.getStats();
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

  private onSignal(message: ServerMessage): void {
    switch (message.type) {
      case 'participantConnected': {
        const participant = new RemoteParticipant(message.participant);
        this.participants.set(participant.sid, participant);
        this.emit(RoomEvent.ParticipantConnected, participant);
        return;
      }
      case 'participantDisconnected':
        return this.removeParticipant(message.participantSid);
      case 'offer':
        this.negotiation = this.negotiation.then(() => this.answer(message)).catch((error) => {
          console.error('huddle: negotiation failed', error);
          this.end(new HuddleError('NEGOTIATION_FAILED', String(error)));
        });
        return;
      case 'error':
        console.warn(`huddle: server reported ${message.code}: ${message.message}`);
        return;
      default:
        return;
    }
  }

  private async answer(offer: OfferMessage): Promise<void> {
    if (this.state !== 'connected') return;
    for (const mapping of offer.mids) this.mids.set(mapping.mid, mapping);
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.mid ? PUBLISH_MIDS[transceiver.mid] : undefined;
      if (!kind) continue;
      const track = this.localTracks.find((t) => t.kind === kind);
      transceiver.direction = track ? 'sendonly' : 'inactive';
      if (transceiver.sender.track !== (track?.mediaStreamTrack ?? null)) {
        await transceiver.sender.replaceTrack(track?.mediaStreamTrack ?? null);
      }
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.gatheringComplete();
    if (this.state !== 'connected') return;
    this.signalling.send({ type: 'answer', sdp: this.pc.localDescription!.sdp });
  }

  /** Huddle does not trickle: the answer carries every candidate, so wait for gathering (bounded). */
  private gatheringComplete(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, GATHERING_TIMEOUT_MS);
      const pc = this.pc;
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

  private removeParticipant(sid: string): void {
    const participant = this.participants.get(sid);
    if (!participant) return;
    const unsubscribed = (track: RemoteTrack, publication: RemoteTrackPublication) =>
      this.emit(RoomEvent.TrackUnsubscribed, track, publication, participant);
    participant.on('trackUnsubscribed', unsubscribed);
    participant._unsubscribeAll();
    participant.off('trackUnsubscribed', unsubscribed);
    for (const [mid, mapping] of this.mids) if (mapping.participantSid === sid) this.mids.delete(mid);
    this.participants.delete(sid);
    this.emit(RoomEvent.ParticipantDisconnected, participant);
  }

  private end(error: HuddleError | undefined): void {
    if (this.state === 'disconnected') return;
    this.state = 'disconnected';
    this.signalling.close();
    for (const sid of [...this.participants.keys()]) this.removeParticipant(sid);
    this.pc.close();
    this.emit(RoomEvent.Disconnected, this, error);
  }
}
