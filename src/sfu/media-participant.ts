import type { Logger } from 'pino';
import type { MidMapping, ParticipantInfo, TrackKind, TrackName } from '../protocol/messages.js';
import type { MediaPeer, SendTrack } from './media-engine.js';
import { type ForwardingCounters, Publication } from './publication.js';
import type { SessionSignals } from './sfu-service.js';
import { newSsrc, trackSid } from './sids.js';

interface Subscription {
  mid: string;
  sendTrack: SendTrack;
  publication: Publication;
  publisherSid: string;
}

/**
 * One person's media in a room: their peer connection, what they publish, what they receive.
 * It knows nothing of its room: the room subscribes it to the others and passes in what it needs.
 */
export class MediaParticipant {
  readonly publications: Publication[] = [];
  private readonly subscriptions = new Map<string, Subscription>();
  private midCounter = 0;
  private screenShares = 0;
  private negotiating = false;
  private negotiateAgain = false;

  constructor(
    readonly sid: string,
    readonly identity: string,
    readonly peer: MediaPeer,
    readonly signals: SessionSignals,
    private readonly log: Logger,
    /** Server-wide forwarding counters its publications add to. */
    private readonly forwarded: ForwardingCounters,
    publish: { audio: boolean; video: boolean },
  ) {
    if (publish.audio) this.addPublication('audio', 'microphone', 'pa', trackSid(sid, 'audio'));
    if (publish.video) this.addPublication('video', 'camera', 'pv', trackSid(sid, 'video'));
  }

  private addPublication(kind: TrackKind, name: TrackName, mid: string, sid: string): Publication {
    const publication = new Publication(sid, kind, name, mid, this.peer.addReceiveTrack(kind, mid), this.forwarded);
    this.publications.push(publication);
    return publication;
  }

  /** A new screen share: its own receive line (ps1, ps2, ...) and SID; takes effect at the next negotiation. */
  publishScreen(): Publication {
    const n = ++this.screenShares;
    return this.addPublication('video', 'screen', `ps${n}`, trackSid(this.sid, `screen-${n}`));
  }

  /** Stops a publication; its line stays in the SDP, unused. */
  unpublish(trackSid: string): Publication | undefined {
    const index = this.publications.findIndex((p) => p.sid === trackSid);
    if (index < 0) return undefined;
    const [publication] = this.publications.splice(index, 1);
    publication!.close();
    return publication;
  }

  info(): ParticipantInfo {
    return { sid: this.sid, identity: this.identity, tracks: this.publications.map((p) => p.info()) };
  }

  /** Adds a send line for each of the publisher's tracks; takes effect at the next negotiation. */
  subscribe(publisher: MediaParticipant): void {
    for (const publication of publisher.publications) this.subscribeTo(publisher, publication);
  }

  subscribeTo(publisher: MediaParticipant, publication: Publication): void {
    const mid = `${publication.kind === 'audio' ? 'a' : 'v'}${++this.midCounter}`;
    // Each publication is its own stream: a screen share must not be synchronised with the camera.
    // The track id names the line, not only the publication: lines are never removed, so when a
    // publisher comes back with the same SID (a reconnection) its old lines are still in the offer,
    // and a second `a=msid` with the same pair makes Chromium refuse the whole offer.
    const sendTrack = this.peer.addSendTrack(
      publication.kind,
      mid,
      newSsrc(),
      publisher.sid,
      `${publisher.sid}-${publication.name}`,
      `${publication.sid}-${mid}`,
    );
    publication.attach(sendTrack);
    this.subscriptions.set(publication.sid, { mid, sendTrack, publication, publisherSid: publisher.sid });
  }

  unsubscribe(publisher: MediaParticipant): void {
    for (const publication of publisher.publications) this.unsubscribeFrom(publication);
  }

  unsubscribeFrom(publication: Publication): void {
    const subscription = this.subscriptions.get(publication.sid);
    if (!subscription) return;
    publication.detach(subscription.sendTrack);
    this.subscriptions.delete(publication.sid);
  }

  /**
   * Sends a fresh offer. The server is the only offerer, so there is no glare; a request made
   * while an offer awaits its answer runs after the answer arrives.
   */
  async negotiate(): Promise<void> {
    // Someone who publishes nothing, alone in a room, has nothing to negotiate until others publish.
    if (this.peer.isClosed || !this.peer.hasMedia) return;
    if (this.negotiating) {
      this.negotiateAgain = true;
      return;
    }
    this.negotiating = true;
    try {
      const sdp = await this.peer.createOffer();
      if (this.peer.isClosed) return;
      const mids: MidMapping[] = [...this.subscriptions.values()].map((s) => ({
        mid: s.mid,
        participantSid: s.publisherSid,
        trackSid: s.publication.sid,
        kind: s.publication.kind,
      }));
      const publish = this.publications.map((p) => ({ mid: p.mid, trackSid: p.sid, name: p.name }));
      this.signals.send({ type: 'offer', sdp, mids, publish });
    } catch (error) {
      this.negotiating = false;
      this.log.warn({ err: error, participant: this.sid }, 'negotiation failed');
      this.signals.evict('NEGOTIATION_FAILED');
    }
  }

  /** Throws when the answer cannot be applied; the caller reports it to the client. */
  acceptAnswer(sdp: string): void {
    this.peer.applyAnswer(sdp);
    this.negotiating = false;
    if (this.negotiateAgain) {
      this.negotiateAgain = false;
      void this.negotiate();
    }
  }

  close(): void {
    for (const publication of this.publications) publication.close();
    for (const subscription of this.subscriptions.values()) subscription.publication.detach(subscription.sendTrack);
    this.subscriptions.clear();
    this.peer.close();
  }
}
