import type { ErrorCode } from '../protocol/errors.js';
import type { ClientMessage, TrackInfo } from '../protocol/messages.js';
import { HuddleError } from './huddle-error.js';
import type { LocalParticipant, Publisher } from './local-participant.js';
import { type LocalMediaTrack, type LocalVideoTrack, lineNameOf } from './local-track.js';
import { LocalTrackPublication } from './local-track-publication.js';
import { log } from './logger.js';
import type { PeerSession } from './peer-session.js';
import { PendingPublishes } from './pending-publishes.js';
import type { SendLine } from './publish-lines.js';

/** The room's connection of the moment, as the publisher needs it. */
export interface PublisherConnection {
  /** False while the room reconnects, and once it is over. */
  isConnected(): boolean;
  session(): PeerSession;
  send(message: ClientMessage): void;
}

/**
 * What this page publishes: the tracks it joined with and the screen shares it adds later. It
 * asks the server for lines, settles publishTrack()'s promises, tells the server about mutes, and
 * keeps the local participant's publications in line with the server's lines.
 */
export class TrackPublisher implements Publisher {
  /** Tracks published after joining (screen shares), whether or not the server has their line yet. */
  private readonly shares: LocalMediaTrack[] = [];
  private readonly pending = new PendingPublishes();
  private readonly unwatchers = new Map<LocalMediaTrack, () => void>();

  constructor(
    private readonly joinedWith: readonly LocalMediaTrack[],
    private readonly participant: LocalParticipant,
    private readonly connection: PublisherConnection,
  ) {
    for (const track of joinedWith) this.watch(track);
  }

  /**
   * As twilio-video's connect() resolves, the tracks joined with are already published: the
   * server names their SIDs in `joined`, so their publications exist before its offer gives them
   * lines (which then find them by SID, and keep them).
   */
  publishedAtJoin(tracks: readonly TrackInfo[]): void {
    for (const track of this.joinedWith) {
      const info = tracks.find((t) => t.kind === track.kind && t.name === lineNameOf(track));
      if (!info || this.participant.tracks.has(info.sid)) continue;
      this.participant._published(
        new LocalTrackPublication(info.sid, track, () => this.unpublishFromPublication(track)),
      );
    }
  }

  /** What a new peer session sends. */
  get tracks(): LocalMediaTrack[] {
    return [...this.joinedWith, ...this.shares];
  }

  /** A screen share (a LocalVideoTrack named 'screen'); resolves once the server receives it. */
  publishTrack(track: LocalVideoTrack): Promise<LocalTrackPublication> {
    if (track.name !== 'screen')
      return this.refuse(track, 'INVALID_MESSAGE', "Only a track named 'screen' can be published after joining");
    // One share at a time for now; the lines below would carry several.
    if (this.shares.length > 0) return this.refuse(track, 'INVALID_MESSAGE', 'A screen is already being shared');
    // Unpublished while its line was on its way: the line it gives back is not this publish's.
    if (this.pending.isQueued(track))
      return this.refuse(track, 'INVALID_MESSAGE', 'The track is still being unpublished; try again');
    if (!this.connection.isConnected())
      return this.refuse(track, 'PUBLISH_FAILED', 'The room is not connected: the track was not published');
    const published = this.pending.add(track);
    this.shares.push(track);
    this.watch(track);
    this.connection.session().addTrack(track);
    this.connection.send({ type: 'publish', kind: 'video', name: 'screen' });
    return published;
  }

  /** publication.unpublish(): the tracks joined with cannot be unpublished yet, and say so. */
  private unpublishFromPublication(track: LocalMediaTrack): void {
    if (this.joinedWith.includes(track)) {
      log.warn(`huddle: the ${track.name} track cannot be unpublished yet; disable() it to stop sending`);
      return;
    }
    this.unpublishTrack(track);
  }

  unpublishTrack(track: LocalMediaTrack): LocalTrackPublication | null {
    if (!this.dropShare(track)) return null;
    if (this.pending.isWaiting(track)) {
      // Its line is on its way: the track keeps its claim to it, and gives it back when it comes.
      this.pending.cancel(
        track,
        new HuddleError('PUBLISH_FAILED', 'The track was unpublished before it was published'),
      );
      return null;
    }
    const line = this.connection.session().removeTrack(track);
    if (!line) return null;
    const publication = this.participant.tracks.get(line.trackSid) ?? null;
    this.participant._unpublished(line.trackSid);
    if (this.connection.isConnected()) this.connection.send({ type: 'unpublish', trackSid: line.trackSid });
    return publication;
  }

  /** The room answered an offer: these lines carry this page's tracks now. */
  answered(lines: readonly SendLine[]): void {
    const carried = new Set<string>();
    for (const line of lines) {
      if (!this.isPublishing(line.track)) {
        // Unpublished while the server was adding its line: give the line back.
        this.pending.forget(line.track);
        this.connection.session().removeTrack(line.track);
        this.connection.send({ type: 'unpublish', trackSid: line.trackSid });
        continue;
      }
      carried.add(line.trackSid);
      if (this.participant.tracks.get(line.trackSid)?.track !== line.track) {
        const track = line.track;
        const publication = new LocalTrackPublication(line.trackSid, track, () => this.unpublishFromPublication(track));
        this.participant._published(publication);
        this.pending.published(line.track, publication);
      }
      // Tracks muted before they had a line: tell the server now that it knows their SIDs.
      if (!line.track.isEnabled) this.connection.send({ type: 'trackState', trackSid: line.trackSid, enabled: false });
    }
    // Lines the server no longer offers (a new participant SID after a reconnection renames them all).
    for (const trackSid of this.participant.tracks.keys())
      if (!carried.has(trackSid)) this.participant._unpublished(trackSid);
  }

  /** The server refused the oldest publish still waiting (an error with ref 'publish'). */
  refused(refusal: HuddleError): void {
    const error = new HuddleError('PUBLISH_FAILED', refusal.message, { cause: refusal });
    const track = this.pending.refuseOldest(error);
    if (!track) return log.warn(`huddle: the server refused a publish this page did not send: ${refusal.code}`);
    this.connection.session().removeTrack(track);
    if (this.dropShare(track)) this.participant._publicationFailed(error, track);
  }

  /** The room is reconnecting: waiting publishes fail, and shares stop (the server forgot them). */
  connectionLost(cause: HuddleError): void {
    this.failWaiting('The connection to the room was lost before the track was published', cause);
    for (const track of [...this.shares]) {
      const line = this.connection.session().removeTrack(track);
      if (line) this.participant._unpublished(line.trackSid);
      this.dropShare(track);
      track.stop();
    }
  }

  /** The room is over: waiting publishes fail; the page's tracks are its own again. */
  ended(error: HuddleError | undefined): void {
    this.failWaiting('The room disconnected before the track was published', error);
    for (const unwatch of [...this.unwatchers.values()]) unwatch();
  }

  /** A publish this page turns down before asking the server. */
  private refuse(track: LocalMediaTrack, code: ErrorCode, message: string): Promise<never> {
    const error = new HuddleError(code, message);
    this.participant._publicationFailed(error, track);
    return Promise.reject(error);
  }

  private failWaiting(message: string, cause: HuddleError | undefined): void {
    const error = new HuddleError('PUBLISH_FAILED', message, { cause });
    for (const track of this.pending.failAll(error)) this.participant._publicationFailed(error, track);
  }

  private isPublishing(track: LocalMediaTrack): boolean {
    return this.joinedWith.includes(track) || this.shares.includes(track);
  }

  /** Forgets a share (not yet its line); false if the track was not one. */
  private dropShare(track: LocalMediaTrack): boolean {
    const index = this.shares.indexOf(track);
    if (index < 0) return false;
    this.shares.splice(index, 1);
    this.unwatchers.get(track)?.();
    return true;
  }

  /** Mute, unmute and restart change what the track's line sends; a share ended from the browser's own button is unpublished. */
  private watch(track: LocalMediaTrack): void {
    const changed = () => this.onTrackChanged(track);
    const stopped = () => this.unpublishTrack(track);
    track.on('enabled', changed).on('disabled', changed).on('restarted', changed);
    if (track.name === 'screen') track.on('stopped', stopped);
    this.unwatchers.set(track, () => {
      track.off('enabled', changed).off('disabled', changed).off('restarted', changed).off('stopped', stopped);
      this.unwatchers.delete(track);
    });
  }

  private onTrackChanged(track: LocalMediaTrack): void {
    if (!this.connection.isConnected()) return;
    const line = this.connection.session().refreshTrack(track);
    if (line) this.connection.send({ type: 'trackState', trackSid: line.trackSid, enabled: track.isEnabled });
  }
}
