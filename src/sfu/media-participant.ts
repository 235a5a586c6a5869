/**
 * One person's media in a room: their peer connection, what they publish, what they receive.
 * It knows nothing of its room: the room subscribes it to the others and passes in what it needs.
 */
import type { Logger } from 'pino';
import type { MidMapping, ParticipantInfo, TrackRequest } from '../protocol/messages.js';
import type { LoudestSpeakers } from './audio/loudest-speakers.js';
import { DataPublication } from './data-publication.js';
import type { MediaPeer } from './engine/media-peer.js';
import type { PublishPeer } from './engine/publish-peer.js';
import { LayeredSource } from './layers/layered-source.js';
import { SubscriberDownlink } from './layers/subscriber-downlink.js';
import { ParticipantData } from './participant-data.js';
import { type ForwardingCounters, Publication } from './publication.js';
import { UplinkFeedback } from './quality/uplink-feedback.js';
import type { BandwidthProfile, SessionSignals, TrackPreferences } from './sfu-service.js';
import { newSsrc, trackSid } from './sids.js';
import { Subscription } from './subscription.js';

const SENDER_REPORT_INTERVAL_MS = 1000;
/** How often a participant hears what its own links lost (its browser measures quality every 2 s). */
const LINK_REPORT_INTERVAL_MS = 2000;
/**
 * Each report counts the last few intervals: a 320×240 camera sends ~30 packets in 2 s, too few
 * for one interval's loss to tell 15 % from 3 % (measured: a 15 % lossy uplink read as level 3–5).
 */
const LINK_REPORT_WINDOW = 3;
/** Sender reports go out together, a few dozen to a datagram. */
const SENDER_REPORTS_PER_PACKET = 40;

export interface MediaParticipantOptions {
  /** The tracks it joined with (names unique). */
  tracks: readonly TrackRequest[];
  /** Whether it receives the others' tracks. */
  subscribe: boolean;
  /**
   * Whether the client takes the server's ICE candidates after its first answer (protocol 2):
   * then the first offer carries none, which keeps libdatachannel's DTLS handshake from starting
   * before the answer's fingerprint is stored.
   */
  candidatesAfterAnswer: boolean;
  /**
   * Whether the client understands participantReconnecting / participantReconnected (protocol 3);
   * older clients are told that someone who is resuming left, and joined again when they return.
   */
  reconnectEvents: boolean;
  /** The room's ranking of microphones (audio last-N): each one it publishes takes a place in it. */
  speakers: LoudestSpeakers;
}

export class MediaParticipant {
  /** Its audio and video. */
  readonly publications: Publication[] = [];
  /** Its data tracks, and the channels for the others'. */
  readonly data: ParticipantData;
  /** By the publication's SID. */
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly uplink: UplinkFeedback;
  /** What this participant's downlink carries, and the layer of each video it receives in layers. */
  readonly downlink = new SubscriberDownlink({
    subscriptions: () => this.subscriptions.values(),
    rankOf: (subscription) => this.rankOf(subscription),
    maxBitrate: () => this.profile.maxSubscriptionBitrate || undefined,
    switched: (subscription, off) =>
      this.signals.send(
        off === null
          ? { type: 'trackSwitchedOn', trackSid: subscription.publication.sid }
          : { type: 'trackSwitchedOff', trackSid: subscription.publication.sid, reason: off },
      ),
    // Each second's estimate and layers, at debug level: what explains a viewer's quality afterwards.
    trace: (fields) => this.log.debug({ participant: this.sid, ...fields }, 'downlink'),
  });
  /** How it wants its downlink shared (twilio-video's bandwidthProfile.video). */
  private profile: BandwidthProfile = {};
  /** The room's dominant speaker, as of the last tick: their camera ranks above the other tiles. */
  private dominantSpeaker: string | null = null;
  /** Receive lines made in this session, for tracks since unpublished too: each stays in its SDP. */
  private receiveLines = 0;
  /** How many times each track name was published in this session. */
  private readonly publishedNames = new Map<string, number>();
  private assignments = 0;
  private negotiating = false;
  /** A negotiation is owed: it runs once the answer awaited, or the first connection, is in. */
  private negotiateAgain = false;
  private offers = 0;
  /** The server's candidates, to be sent once the first answer is applied (protocol 2). */
  private pendingCandidates: Promise<string[]> | undefined;
  private lastSenderReportsMs = 0;
  private lastLinkReportMs = 0;
  /** Each publication's missed and expected counts at the last link report. */
  private readonly uplinkCounts = new WeakMap<Publication, { missed: number; expected: number }>();
  /** The last LINK_REPORT_WINDOW intervals' losses, newest last, each way. */
  private readonly linkHistory: Array<{ upLost: number; upExpected: number; downLost: number; downExpected: number }> =
    [];

  constructor(
    readonly sid: string,
    readonly identity: string,
    readonly peer: MediaPeer,
    readonly signals: SessionSignals,
    private readonly log: Logger,
    /** Server-wide forwarding counters its publications add to. */
    private readonly forwarded: ForwardingCounters,
    private readonly options: MediaParticipantOptions,
  ) {
    this.data = new ParticipantData(sid, peer, log);
    this.uplink = new UplinkFeedback({
      publications: () => this.publications,
      sendRtcp: (packet) => peer.sendRtcp(packet),
      rttMs: () => this.rttMs(),
    });
    for (const track of options.tracks) this.publish(track, true);
    // A renegotiation asked for before the connection was up runs once it is (see negotiate).
    peer.onStateChange((state) => {
      if (state !== 'connected' || !this.negotiateAgain || this.negotiating) return;
      this.negotiateAgain = false;
      void this.negotiate();
    });
  }

  /** Tracks published in this session, unpublished ones too: media ones each keep a line in its SDP. */
  get tracksStarted(): number {
    let n = 0;
    for (const count of this.publishedNames.values()) n += count;
    return n;
  }

  /** Every track it publishes now, media and data. */
  get publishedCount(): number {
    return this.publications.length + this.data.publications.length;
  }

  hasTrackNamed(name: string): boolean {
    return this.publications.some((p) => p.name === name) || this.data.publications.some((p) => p.name === name);
  }

  /**
   * A new publication on a receive line of its own; takes effect at the next negotiation. The
   * first microphone and camera joined with keep the lines `pa` and `pv` (clients that announce
   * their SSRCs by mid rely on them); every other line is `p1`, `p2`, … The SID follows from the
   * participant's, the track's name and how often the name was published before in this session:
   * a participant back after a media restart publishes the same SIDs again, and a track published
   * again under its old name is a new track with a new SID (as in twilio-video).
   */
  publish(track: TrackRequest, joinedWith = false): Publication | DataPublication {
    const generation = this.publishedNames.get(track.name) ?? 0;
    this.publishedNames.set(track.name, generation + 1);
    const sid = trackSid(this.sid, `${track.kind}:${track.name}${generation > 0 ? `:${generation}` : ''}`);
    if (track.kind === 'data') return this.data.publish(track, sid);
    const first = joinedWith && !this.publications.some((p) => p.kind === track.kind);
    const n = ++this.receiveLines;
    const mid = first ? (track.kind === 'audio' ? 'pa' : 'pv') : `p${n}`;
    const line = this.peer.addReceiveLine(track.kind, mid);
    const publication = new Publication(sid, track.kind, track.name, mid, line, this.uplink, this.forwarded, first);
    if (track.priority) publication.priority = track.priority;
    if (track.kind === 'audio') publication.audioRoute = this.options.speakers.add(sid, this.sid);
    this.publications.push(publication);
    return publication;
  }

  /** Stops a publication; a media one's line stays in the SDP, unused. */
  unpublish(trackSid: string): Publication | DataPublication | undefined {
    const index = this.publications.findIndex((p) => p.sid === trackSid);
    if (index < 0) return this.data.unpublish(trackSid);
    const [publication] = this.publications.splice(index, 1);
    publication!.close();
    return publication;
  }

  info(): ParticipantInfo {
    const tracks = [...this.publications.map((p) => p.info()), ...this.data.publications.map((p) => p.info())];
    return { sid: this.sid, identity: this.identity, tracks };
  }

  get hearsReconnections(): boolean {
    return this.options.reconnectEvents;
  }

  get receives(): boolean {
    return this.options.subscribe;
  }

  /** Takes a send line for each of the publisher's tracks; takes effect at the next negotiation. */
  subscribe(publisher: MediaParticipant): void {
    for (const publication of publisher.publications) this.subscribeTo(publisher, publication);
    for (const publication of publisher.data.publications) this.data.subscribeTo(publication);
  }

  subscribeTo(publisher: MediaParticipant, publication: Publication | DataPublication): void {
    if (publication instanceof DataPublication) return this.data.subscribeTo(publication);
    // The microphone and camera a participant joined with share one stream, so the browser keeps
    // them in sync; any other track (a screen share) is a stream of its own, never held back to
    // match anyone's lips.
    const streamId = publication.inParticipantStream ? publisher.sid : `${publisher.sid}-${publication.sid}`;
    // The track id names the assignment too: a freed line keeps its last msid until it is reused,
    // and a returning publisher (same SID, same track SIDs) must not repeat it: Chromium refuses an
    // offer with two equal a=msid lines ("Duplicate a=msid lines detected").
    const line = this.peer.takeSendLine(publication.kind, {
      ssrc: newSsrc(),
      cname: publisher.sid,
      streamId,
      trackId: `${publication.sid}-${++this.assignments}`,
    });
    const subscription = new Subscription(publication, line, publisher.sid, this.sid, this.downlink.resends);
    publication.attach(subscription);
    this.subscriptions.set(publication.sid, subscription);
  }

  unsubscribe(publisher: MediaParticipant): void {
    for (const publication of publisher.publications) this.unsubscribeFrom(publication);
    for (const publication of publisher.data.publications) this.data.unsubscribeFrom(publication);
  }

  /** Frees the line for the next track of its kind (see SendLine). */
  unsubscribeFrom(publication: Publication | DataPublication): void {
    if (publication instanceof DataPublication) return this.data.unsubscribeFrom(publication);
    const subscription = this.subscriptions.get(publication.sid);
    if (!subscription) return;
    subscription.close();
    this.subscriptions.delete(publication.sid);
  }

  /**
   * From now on the publisher sends this video in layers on a connection of its own (`peer`,
   * answering its publishOffer); false when it publishes no video on that line.
   */
  receiveLayers(mid: string, peer: PublishPeer): boolean {
    const publication = this.publications.find((p) => p.mid === mid && p.kind === 'video');
    if (!publication) return false;
    publication.receiveLayers(new LayeredSource(peer, () => this.rttMs()));
    return true;
  }

  /**
   * Dynacast: the publisher encodes only the layers of its videos that someone receives or waits
   * for (see layers/dynacast.ts); nobody watching at all (alone in the room, or everyone switched
   * it off) turns every layer off.
   */
  private encodeWantedLayers(nowMs: number): void {
    for (const publication of this.publications) {
      const active = publication.layered?.dynacast.update(publication.wantedLayers, nowMs);
      if (!active) continue;
      this.log.debug({ participant: this.sid, mid: publication.mid, active }, 'layers to encode');
      this.signals.send({ type: 'layersActive', mid: publication.mid, active });
    }
  }

  /**
   * Who gets their layers first on this participant's downlink, lower first: by priority (its
   * own for the track, else the publisher's; the dominant speaker's is the profile's
   * dominantSpeakerPriority), then a screen share (or any video but a camera joined with), then
   * the dominant speaker (except in 'grid' mode, where all tiles are equal), then the rest.
   */
  private rankOf(subscription: Subscription): number {
    const publication = subscription.publication;
    const speaking = subscription.publisherSid === this.dominantSpeaker && this.profile.mode !== 'grid';
    const priority =
      subscription.preferences.priority ??
      (speaking && this.profile.dominantSpeakerPriority ? this.profile.dominantSpeakerPriority : publication.priority);
    const tier = priority === 'high' ? 0 : priority === 'low' ? 8 : 4;
    const presenting = !publication.inParticipantStream;
    return tier + (presenting ? (this.profile.mode === 'presentation' ? -4 : 0) : speaking ? 1 : 2);
  }

  /** The participant's bandwidth profile (sent after each join). */
  setBandwidthProfile(profile: BandwidthProfile): void {
    this.profile = profile;
    this.downlink.reallocate(performance.now());
  }

  /** What it wants of one of the videos it receives; false when it receives no such track. */
  setPreferences(trackSid: string, preferences: TrackPreferences): boolean {
    const subscription = this.subscriptions.get(trackSid);
    if (!subscription) return false;
    const wanted = subscription.preferences;
    if (preferences.on !== undefined) wanted.on = preferences.on;
    if (preferences.renderWidth !== undefined) wanted.renderWidth = preferences.renderWidth || undefined;
    if (preferences.renderHeight !== undefined) wanted.renderHeight = preferences.renderHeight || undefined;
    if (preferences.priority !== undefined) wanted.priority = preferences.priority;
    this.downlink.reallocate(performance.now());
    return true;
  }

  /** The participant's round trip, from its receiver reports on what it receives (ms). */
  private rttMs(): number | undefined {
    let sum = 0;
    let count = 0;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.rttMs === undefined) continue;
      sum += subscription.rttMs;
      count++;
    }
    return count > 0 ? sum / count : undefined;
  }

  /** Called every few tens of ms by the room: RTCP that is due, to the publisher and to the subscriber. */
  tick(nowMs: number, dominantSpeaker: string | null = null): void {
    if (this.peer.isClosed) return;
    this.dominantSpeaker = dominantSpeaker;
    this.uplink.tick(nowMs);
    for (const publication of this.publications) publication.layered?.tick(nowMs);
    this.downlink.tick(nowMs);
    this.encodeWantedLayers(nowMs);
    if (nowMs - this.lastLinkReportMs >= LINK_REPORT_INTERVAL_MS) this.reportLinkLoss(nowMs);
    if (nowMs - this.lastSenderReportsMs < SENDER_REPORT_INTERVAL_MS) return;
    this.lastSenderReportsMs = nowMs;
    const reports: Buffer[] = [];
    for (const subscription of this.subscriptions.values()) {
      const report = subscription.senderReport(nowMs);
      if (report) reports.push(report);
    }
    for (let i = 0; i < reports.length; i += SENDER_REPORTS_PER_PACKET) {
      this.peer.sendRtcp(Buffer.concat(reports.slice(i, i + SENDER_REPORTS_PER_PACKET)));
    }
  }

  /**
   * Tells the participant what its own links lost, which its browser cannot see: on the way up,
   * before NACKs repaired it; on the way down, not counting what publishers' links lost. Its
   * network quality needs both.
   */
  private reportLinkLoss(nowMs: number): void {
    this.lastLinkReportMs = nowMs;
    let downLost = 0;
    let downExpected = 0;
    for (const subscription of this.subscriptions.values()) {
      const taken = subscription.takeDownlinkLoss();
      downLost += taken.lost;
      downExpected += taken.expected;
    }
    let upMissed = 0;
    let upExpected = 0;
    for (const publication of this.publications) {
      const { missed, expected } = publication.layered?.counts ?? publication.statistics;
      const last = this.uplinkCounts.get(publication) ?? { missed: 0, expected: 0 };
      this.uplinkCounts.set(publication, { missed, expected });
      upMissed += missed - last.missed;
      upExpected += expected - last.expected;
    }
    this.linkHistory.push({ upLost: upMissed, upExpected, downLost, downExpected });
    if (this.linkHistory.length > LINK_REPORT_WINDOW) this.linkHistory.shift();
    const total = (key: keyof (typeof this.linkHistory)[number]) => this.linkHistory.reduce((n, h) => n + h[key], 0);
    const fraction = (lost: number, expected: number) =>
      expected > 0 ? Math.min(1, Math.max(0, lost / expected)) : null;
    const up = fraction(total('upLost'), total('upExpected'));
    const down = fraction(total('downLost'), total('downExpected'));
    if (up !== null || down !== null) this.signals.send({ type: 'linkLoss', up, down });
  }

  /**
   * Sends a fresh offer. The server is the only offerer, so there is no glare; a request made
   * while an offer awaits its answer runs after the answer arrives.
   *
   * Only the first offer goes out before the connection is up. libdatachannel starts the SCTP
   * transport both when DTLS connects (on its own thread) and when a remote description is applied
   * with DTLS already connected (on ours), and each checks for an existing one before making it:
   * an answer applied in that instant made two, the second replaced the first, and destroying the
   * first stopped DTLS. The browser saw its connection closed and reconnected (join-race test:
   * 1 round in ~40 on two busy cores, where three people joining each re-offered the others).
   */
  async negotiate(): Promise<void> {
    // Someone who publishes nothing, alone in a room, has nothing to negotiate until others publish.
    if (this.peer.isClosed || !this.peer.hasMedia) return;
    if (this.negotiating) {
      this.negotiateAgain = true;
      return;
    }
    if (this.offers > 0 && !this.peer.hasConnected) {
      this.negotiateAgain = true;
      return;
    }
    this.negotiating = true;
    try {
      const withoutCandidates = this.options.candidatesAfterAnswer && this.offers === 0;
      this.offers++;
      const offer = await this.peer.createOffer({ withoutCandidates });
      if (this.peer.isClosed) return;
      if (withoutCandidates) this.pendingCandidates = offer.candidates;
      const mids: MidMapping[] = [...this.subscriptions.values()].map((s) => ({
        mid: s.line.mid,
        participantSid: s.publisherSid,
        trackSid: s.publication.sid,
        kind: s.publication.kind,
      }));
      const publish = this.publications.map((p) => ({ mid: p.mid, trackSid: p.sid, name: p.name }));
      this.signals.send({ type: 'offer', sdp: offer.sdp, mids, publish });
    } catch (error) {
      this.negotiating = false;
      this.log.warn({ err: error, participant: this.sid }, 'negotiation failed');
      this.signals.evict('NEGOTIATION_FAILED');
    }
  }

  /** A candidate the client trickled after its answer; one that cannot be used is dropped. */
  addRemoteCandidate(candidate: string): void {
    const firstLine = this.peer.firstMid;
    if (!firstLine) return;
    try {
      this.peer.addRemoteCandidate(candidate, firstLine);
    } catch (error) {
      this.log.debug({ err: error, participant: this.sid }, 'a trickled candidate was refused');
    }
  }

  /** Throws when the answer cannot be applied; the caller reports it to the client. */
  acceptAnswer(sdp: string): void {
    this.peer.applyAnswer(sdp);
    this.negotiating = false;
    const candidates = this.pendingCandidates;
    this.pendingCandidates = undefined;
    void candidates?.then((list) => {
      if (!this.peer.isClosed && list.length > 0) this.signals.send({ type: 'candidates', candidates: list });
    });
    if (this.negotiateAgain) {
      this.negotiateAgain = false;
      void this.negotiate();
    }
  }

  close(): void {
    this.data.close();
    for (const publication of this.publications) publication.close();
    for (const subscription of this.subscriptions.values()) subscription.close();
    this.subscriptions.clear();
    this.peer.close();
  }
}
