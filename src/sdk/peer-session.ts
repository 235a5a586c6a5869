import type { MidMapping, OfferMessage } from '../protocol/messages.js';
import type { NetworkQualityStats } from '../protocol/network-quality.js';
import type { EncodingParameters } from './encoding-parameters.js';
import { HuddleError } from './huddle-error.js';
import { type Layer, LayeredSender, layersFor } from './layered-sender.js';
import type { LocalDataTrack } from './local-data-track.js';
import type { LocalMediaTrack } from './local-track.js';
import { log } from './logger.js';
import { NetworkQualityMeter } from './network-quality-meter.js';
import { PublishLines, type SendLine } from './publish-lines.js';
import { type StatsReport, toStatsReport } from './stats-report.js';

/** ICE 'disconnected' for this long is treated as lost media. */
const MEDIA_DISCONNECTED_GRACE_MS = 5000;

/** What a peer session tells its owner; nothing more arrives once it is closed. */
export interface PeerSessionHandlers {
  /** The answer to the server's latest offer, and the lines that carry this page's tracks now. */
  answered(sdp: string, lines: readonly SendLine[]): void;
  /** One of this page's ICE candidates, found after its answer went (they trickle from then on). */
  candidate(candidate: string): void;
  /** A remote participant's track arrived on the line the server's offer named for it. */
  remoteTrack(line: MidMapping, track: MediaStreamTrack): void;
  /** The server opened a data channel for a remote data track (labelled with its SID). */
  dataChannel(channel: RTCDataChannel): void;
  /** The connection cannot go on: media failed, or an offer or the answer to it could not be applied. */
  failed(error: HuddleError): void;
  /** The offer of a connection that sends the video of line `mid` in simulcast layers. */
  publishOffer(mid: string, sdp: string): void;
}

/**
 * This page's RTCPeerConnection to the server, for one signalling session (a reconnection
 * makes a new one). The server is the only offerer: the session applies each offer, puts this
 * page's tracks on the lines the offer names for them, and answers with every ICE candidate.
 */
export class PeerSession {
  private readonly pc: RTCPeerConnection;
  private readonly configuration: RTCConfiguration;
  /** Which remote participant's track each receiving line carries, by mid, as the last offer said. */
  private remoteLines = new Map<string, MidMapping>();
  /** Which track SID each receiving line's track was handed on for, by mid. */
  private readonly delivered = new Map<string, string>();
  private readonly publishLines: PublishLines;
  /** Offers are applied one at a time, in the order they arrive. */
  private negotiation: Promise<void> = Promise.resolve();
  private mediaTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private answerSent = false;
  private readonly meter = new NetworkQualityMeter({
    sending: (mid) => this.publishLines.onMid(mid)?.track.kind,
    receiving: (mid) => this.remoteLines.get(mid)?.kind,
  });
  /** Names this connection in getStats() reports (twilio-video's peerConnectionId). */
  private readonly id = crypto.randomUUID();

  /** Data tracks whose channel opens once this connection has answered the server's first offer. */
  private readonly dataWaiting = new Set<LocalDataTrack>();
  /** Videos sent in simulcast layers, each on a connection of its own, by their line's mid. */
  private readonly layered = new Map<string, LayeredSender>();
  /** Each video line's layers, decided once from its capture's size when the line came (one: no layers). */
  private readonly lineLayers = new Map<string, Layer[]>();

  constructor(
    configuration: RTCConfiguration,
    tracks: readonly LocalMediaTrack[],
    dataTracks: readonly LocalDataTrack[],
    /** The caps on what each track sends (bits/s), read whenever they are applied. */
    private readonly encoding: Readonly<Required<EncodingParameters>>,
    private readonly handlers: PeerSessionHandlers,
    /** Videos go in simulcast layers, on connections of their own (see layered-sender.ts). */
    private readonly simulcast = false,
  ) {
    this.configuration = configuration;
    this.pc = new RTCPeerConnection(configuration);
    this.publishLines = new PublishLines(tracks);
    this.pc.addEventListener('track', (event) => this.onTrack(event));
    this.pc.addEventListener('datachannel', (event) => {
      if (!this.closed) this.handlers.dataChannel(event.channel);
    });
    for (const track of dataTracks) this.openDataChannel(track);
    this.pc.addEventListener('icecandidate', (event) => {
      // Before the first answer went, a candidate is in the answer's SDP; after, it trickles.
      if (event.candidate?.candidate && this.answerSent && !this.closed)
        this.handlers.candidate(event.candidate.candidate);
    });
    this.pc.addEventListener('connectionstatechange', () => this.onConnectionState(this.pc.connectionState));
  }

  applyOffer(offer: OfferMessage): void {
    this.negotiation = this.negotiation.then(() => this.answer(offer)).catch((error) => this.negotiationFailed(error));
  }

  /**
   * The server's ICE candidates, which protocol 2 sends after the first answer rather than in the
   * offer (so the server's DTLS handshake cannot start before it has this page's answer). With
   * BUNDLE they all belong to the first line.
   */
  addServerCandidates(candidates: string[]): void {
    this.negotiation = this.negotiation.then(async () => {
      const sdpMid = this.pc.getTransceivers()[0]?.mid ?? undefined;
      for (const candidate of candidates) {
        await this.pc
          .addIceCandidate({ candidate, sdpMid, sdpMLineIndex: 0 })
          .catch((error) => log.warn('huddle: a server candidate was refused', candidate, error));
      }
    });
  }

  /** The server could not apply the answer: the same failure as an offer this page could not apply. */
  answerRefused(error: HuddleError): void {
    this.negotiationFailed(error);
  }

  /** A track to send: it goes out once an offer brings a line for it. */
  addTrack(track: LocalMediaTrack): void {
    this.publishLines.add(track);
  }

  /** Stops sending the track; returns the line it had, which the server should be told to drop. */
  removeTrack(track: LocalMediaTrack): SendLine | undefined {
    const line = this.publishLines.remove(track);
    if (line) {
      this.putOnLine(line.mid, null);
      this.layered.get(line.mid)?.close();
      this.layered.delete(line.mid);
    }
    return line;
  }

  /**
   * After mute, unmute or restart: the track's line sends its current capture, or nothing at all
   * while muted (not silence, not black frames). Returns the line, if the track has one.
   */
  refreshTrack(track: LocalMediaTrack): SendLine | undefined {
    const line = this.publishLines.lineOf(track);
    if (line) this.putOnLine(line.mid, track.isEnabled ? track._sentTrack : null);
    return line;
  }

  /** A track was unpublished: the line that carried it may carry another, or the same SID again, next. */
  forgetTrack(trackSid: string): void {
    for (const [mid, delivered] of this.delivered) if (delivered === trackSid) this.delivered.delete(mid);
  }

  /**
   * A data channel for one of this page's data tracks, labelled with its name (the server matches
   * it to the track's publication). The SCTP line comes with the server's first offer: until this
   * page has answered it, the channel waits.
   */
  openDataChannel(track: LocalDataTrack): void {
    if (this.closed) return;
    if (!this.answerSent) {
      this.dataWaiting.add(track);
      return;
    }
    const { ordered, maxPacketLifeTime, maxRetransmits } = track.reliability;
    track._attach(
      this.pc.createDataChannel(track.name, {
        ordered,
        ...(maxPacketLifeTime === null ? {} : { maxPacketLifeTime }),
        ...(maxRetransmits === null ? {} : { maxRetransmits }),
      }),
    );
  }

  /** The data track was unpublished before its channel opened. */
  forgetDataTrack(track: LocalDataTrack): void {
    this.dataWaiting.delete(track);
  }

  /** Puts the bitrate caps on every line that sends one of this page's tracks. */
  async applyEncoding(): Promise<void> {
    for (const sender of this.layered.values()) await sender.cap(this.encoding.maxVideoBitrate);
    for (const transceiver of this.pc.getTransceivers()) {
      if (!this.publishLines.onMid(transceiver.mid) || this.closed) continue;
      const sender = transceiver.sender;
      const kind = this.publishLines.onMid(transceiver.mid)!.track.kind;
      const cap = kind === 'audio' ? this.encoding.maxAudioBitrate : this.encoding.maxVideoBitrate;
      const parameters = sender.getParameters();
      const encoding = parameters.encodings?.[0];
      if (!encoding || (encoding.maxBitrate ?? null) === cap) continue;
      if (cap === null) delete encoding.maxBitrate;
      else encoding.maxBitrate = cap;
      await sender.setParameters(parameters).catch((error) => log.warn('huddle: could not cap a bitrate', error));
    }
  }

  /** Someone left: their lines no longer count in the stats. */
  forgetParticipant(participantSid: string): void {
    for (const [mid, line] of this.remoteLines) {
      if (line.participantSid !== participantSid) continue;
      this.remoteLines.delete(mid);
      // If they come back (same SID, same track SIDs), their tracks are handed on afresh.
      this.delivered.delete(mid);
    }
  }

  /** @internal the browser's own report, for runPreflight's ICE and DTLS timings and candidates. */
  rawStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /**
   * The main connection's stats with those of every layered video's connection, each entry of
   * which is renamed `<mid>:<id>` (and so are the ids it refers to), and says the mid of the line
   * its video was given, so everything downstream reads them as that line's.
   */
  private async allStats(): Promise<RTCStatsReport> {
    const merged = new Map<string, unknown>();
    (await this.pc.getStats()).forEach((entry: { id: string }) => {
      merged.set(entry.id, entry);
    });
    for (const [mid, sender] of this.layered) {
      const report = await sender.getStats().catch(() => undefined);
      report?.forEach((entry: Record<string, unknown>) => {
        const renamed: Record<string, unknown> = { ...entry, id: `${mid}:${entry.id}` };
        for (const [key, value] of Object.entries(entry)) {
          if (key.endsWith('Id') && typeof value === 'string' && report.has(value)) renamed[key] = `${mid}:${value}`;
        }
        if (typeof entry.mid === 'string') renamed.mid = mid;
        merged.set(renamed.id as string, renamed);
      });
    }
    return merged as unknown as RTCStatsReport;
  }

  async getStats(): Promise<StatsReport> {
    return toStatsReport(await this.allStats(), {
      peerConnectionId: this.id,
      remoteLine: (mid) => this.remoteLines.get(mid),
      localLine: (mid) => this.publishLines.onMid(mid),
    });
  }

  /** The server's count of what this page's links lost (a `linkLoss` message). */
  noteLinkLoss(up: number | null, down: number | null): void {
    this.meter.noteLinkLoss(up, down);
  }

  /** This page's network quality since the last time it was asked (src/sdk/network-quality-meter.ts). */
  async networkQuality(): Promise<NetworkQualityStats> {
    return this.meter.measure(await this.allStats(), this.pc.connectionState === 'connected');
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.mediaTimer);
    for (const sender of this.layered.values()) sender.close();
    this.layered.clear();
    this.pc.close();
  }

  /** The server says which layers of a layered video anyone receives. */
  setLayersActive(mid: string, active: readonly boolean[]): void {
    void this.layered.get(mid)?.setActive(active);
  }

  /** The server's answer to the offer of a layered video's connection. */
  publishAnswered(mid: string, sdp: string): void {
    void this.layered.get(mid)?.answered(sdp);
  }

  /** Whether this line's track goes in layers on a connection of its own. */
  private isLayered(line: SendLine): boolean {
    if (!this.simulcast || line.track.kind !== 'video') return false;
    let layers = this.lineLayers.get(line.mid);
    if (!layers) {
      const { width = 640, height = 480 } = line.track._sentTrack.getSettings();
      layers = layersFor(width, height);
      this.lineLayers.set(line.mid, layers);
    }
    return layers.length > 1;
  }

  /** A connection for a layered video's line, once the server has the line (it answered for it). */
  private sendLayers(line: SendLine): void {
    if (this.layered.has(line.mid) || this.closed) return;
    const track = line.track.isEnabled ? line.track._sentTrack : null;
    const sender = new LayeredSender(
      this.configuration,
      line.mid,
      track,
      this.lineLayers.get(line.mid)!,
      (sdp) => {
        if (!this.closed) this.handlers.publishOffer(line.mid, sdp);
      },
      (error) => log.error('huddle: a video could not be sent in layers', error),
    );
    this.layered.set(line.mid, sender);
    void sender.cap(this.encoding.maxVideoBitrate);
  }

  private async answer(offer: OfferMessage): Promise<void> {
    if (this.closed) return;
    // The server recycles lines: each offer says what every receiving line carries now.
    this.remoteLines = new Map(offer.mids.map((line) => [line.mid, line]));
    this.publishLines.update(offer.publish);
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    // A line that went straight from one track to another fires no 'track' event: hand it on here.
    for (const transceiver of this.pc.getTransceivers()) {
      const line = transceiver.mid ? this.remoteLines.get(transceiver.mid) : undefined;
      if (line && this.delivered.get(line.mid) !== line.trackSid) this.deliver(line, transceiver.receiver.track);
    }
    for (const transceiver of this.pc.getTransceivers()) {
      const line = this.publishLines.onMid(transceiver.mid);
      if (!line) {
        // Lines the server receives on are named p…; one given up stays in the SDP, idle.
        if (transceiver.mid?.startsWith('p')) transceiver.direction = 'inactive';
        continue;
      }
      const layered = this.isLayered(line);
      transceiver.direction = layered ? 'inactive' : 'sendonly';
      const wanted = line.track.isEnabled && !layered ? line.track._sentTrack : null;
      if (transceiver.sender.track !== wanted) await transceiver.sender.replaceTrack(wanted);
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    if (this.closed) return;
    await this.applyEncoding();
    // The answer goes at once with the candidates found so far, and the rest trickle (protocol 2):
    // waiting for gathering to complete cost a joiner about 140 ms.
    this.answerSent = true;
    this.handlers.answered(this.pc.localDescription!.sdp, this.publishLines.current);
    for (const line of this.publishLines.current) if (this.isLayered(line)) this.sendLayers(line);
    for (const track of this.dataWaiting) this.openDataChannel(track);
    this.dataWaiting.clear();
  }

  /** One path for an offer this page cannot apply, an answer it cannot make, and one the server refused. */
  private negotiationFailed(cause: unknown): void {
    if (this.closed) return; // a reconnection replaced this connection meanwhile
    log.error('huddle: negotiation failed', cause);
    this.fail(new HuddleError('NEGOTIATION_FAILED', undefined, { cause }));
  }

  private fail(error: HuddleError): void {
    if (this.closed) return;
    this.handlers.failed(error);
  }

  /** What a send line carries from now on: a capture, or nothing. */
  private putOnLine(mid: string, track: MediaStreamTrack | null): void {
    const layered = this.layered.get(mid);
    if (layered) return layered.replace(track);
    const transceiver = this.pc.getTransceivers().find((t) => t.mid === mid);
    if (!transceiver || this.closed) return;
    transceiver.sender.replaceTrack(track).catch((error) => log.warn('huddle: could not swap a sent track', error));
  }

  private onTrack(event: RTCTrackEvent): void {
    const mid = event.transceiver.mid;
    const line = mid ? this.remoteLines.get(mid) : undefined;
    if (line) this.deliver(line, event.track);
  }

  private deliver(line: MidMapping, track: MediaStreamTrack): void {
    if (this.closed || this.delivered.get(line.mid) === line.trackSid) return;
    this.delivered.set(line.mid, line.trackSid);
    this.handlers.remoteTrack(line, track);
  }

  private onConnectionState(state: RTCPeerConnectionState): void {
    clearTimeout(this.mediaTimer);
    if (state === 'failed') this.fail(new HuddleError('MEDIA_FAILED'));
    else if (state === 'disconnected')
      this.mediaTimer = setTimeout(
        () => this.fail(new HuddleError('MEDIA_FAILED', 'Media stopped flowing')),
        MEDIA_DISCONNECTED_GRACE_MS,
      );
  }
}
