/**
 * One participant's data tracks: the ones it publishes (each fed by a data channel its browser
 * opens, labelled with the track's name) and the channels the server opens to it for the others'
 * (labelled with their SIDs). Data channels need no renegotiation: every connection has its SCTP
 * line from its first offer.
 */
import type { Logger } from 'pino';
import type { TrackRequest } from '../protocol/messages.js';
import { DataPublication, RELIABLE } from './data-publication.js';
import type { DataLine } from './engine/data-line.js';
import type { MediaPeer } from './engine/media-peer.js';

/** Channels a browser may open before (or without) publishing a track of their name: the rest are closed. */
const MAX_UNCLAIMED_LINES = 16;

export class ParticipantData {
  readonly publications: DataPublication[] = [];
  /** The browser's channels that no publication of this name has claimed yet, by label. */
  private readonly unclaimed = new Map<string, DataLine>();
  /** What this participant receives: by publication SID, the publication that feeds it. */
  private readonly subscribed = new Map<string, DataPublication>();

  constructor(
    private readonly participantSid: string,
    private readonly peer: MediaPeer,
    private readonly log: Logger,
  ) {
    peer.onRemoteDataLine((line) => this.onBrowserLine(line));
  }

  /** A new data track of this participant's, with the SID the caller chose. */
  publish(track: TrackRequest, sid: string): DataPublication {
    const publication = new DataPublication(sid, track.name, track.reliability ?? RELIABLE, this.log);
    if (track.priority) publication.priority = track.priority;
    this.publications.push(publication);
    const line = this.unclaimed.get(track.name);
    if (line) {
      this.unclaimed.delete(track.name);
      publication.attachSource(line);
    }
    return publication;
  }

  unpublish(trackSid: string): DataPublication | undefined {
    const index = this.publications.findIndex((p) => p.sid === trackSid);
    if (index < 0) return undefined;
    const [publication] = this.publications.splice(index, 1);
    publication!.close();
    return publication;
  }

  /** Opens a channel to this participant for another's data track. */
  subscribeTo(publication: DataPublication): void {
    const { ordered, maxPacketLifeTime, maxRetransmits } = publication.reliability;
    const line = this.peer.openDataLine(publication.sid, {
      ordered,
      ...(maxPacketLifeTime === null ? {} : { maxPacketLifeTime }),
      ...(maxRetransmits === null ? {} : { maxRetransmits }),
    });
    if (!line) {
      this.log.warn({ participant: this.participantSid, track: publication.sid }, 'could not open a data line');
      return;
    }
    publication.addSubscriber(this.participantSid, line);
    this.subscribed.set(publication.sid, publication);
  }

  unsubscribeFrom(publication: DataPublication): void {
    publication.removeSubscriber(this.participantSid);
    this.subscribed.delete(publication.sid);
  }

  close(): void {
    for (const publication of this.publications) publication.close();
    for (const publication of this.subscribed.values()) publication.removeSubscriber(this.participantSid);
    this.subscribed.clear();
    for (const line of this.unclaimed.values()) line.close();
    this.unclaimed.clear();
  }

  private onBrowserLine(line: DataLine): void {
    const publication = this.publications.find((p) => p.name === line.label);
    if (publication) return publication.attachSource(line);
    if (this.unclaimed.size >= MAX_UNCLAIMED_LINES || this.unclaimed.has(line.label)) return line.close();
    this.unclaimed.set(line.label, line);
    line.onClosed(() => {
      if (this.unclaimed.get(line.label) === line) this.unclaimed.delete(line.label);
    });
  }
}
