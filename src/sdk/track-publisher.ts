import type { ErrorCode } from '../protocol/errors.js';
import type { ClientMessage, TrackInfo, TrackPriority, TrackRequest } from '../protocol/messages.js';
import { nameProblem, normalizeName } from '../protocol/name-rules.js';
import { HuddleError } from './huddle-error.js';
import { LocalDataTrack } from './local-data-track.js';
import type { LocalParticipant, LocalTrackPublishOptions, Publisher } from './local-participant.js';
import { LocalAudioTrack, type LocalMediaTrack, LocalVideoTrack } from './local-track.js';
import { LocalTrackPublication, type PublicationHost, type PublishedTrack } from './local-track-publication.js';
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

const isMedia = (track: PublishedTrack): track is LocalMediaTrack => track.kind !== 'data';
const isData = (track: PublishedTrack): track is LocalDataTrack => track.kind === 'data';

/** What a join or a publish asks the server for, for one track. */
export function trackRequest(track: PublishedTrack, priority?: TrackPriority): TrackRequest {
  return {
    kind: track.kind,
    name: track.name,
    ...(priority && priority !== 'standard' ? { priority } : {}),
    ...(isData(track) ? { reliability: track.reliability } : {}),
  };
}

/**
 * What this page publishes: any number of audio, video and data tracks, each with a name unique
 * among them (twilio-video's rule), the ones joined with and the ones added later alike. Media
 * tracks go on lines of the peer session; a data track on a data channel of its own, opened once
 * the server has answered its publish with its SID. It asks the
 * server for lines, settles publishTrack()'s promises, tells the server about mutes, and keeps
 * the local participant's publications in line with the server's lines. Across a reconnection
 * everything published stays published: the rejoin asks for the same tracks by name, and the
 * server gives them the same SIDs.
 */
export class TrackPublisher implements Omit<Publisher, 'setParameters' | 'setNetworkQualityConfiguration'> {
  /** Every track being published, whether or not the server has its line yet, in publishing order. */
  private readonly published: PublishedTrack[] = [];
  private readonly pending = new PendingPublishes();
  private readonly unwatchers = new Map<PublishedTrack, () => void>();
  /** Priorities other than 'standard', as publishTrack's options or publication.setPriority() set them. */
  private readonly priorities = new Map<PublishedTrack, TrackPriority>();
  private readonly host: PublicationHost = {
    unpublish: (track) => this.unpublishTrack(track),
    setPriority: (track, priority) => this.setPriority(track, priority),
    priorityOf: (track) => this.priorities.get(track) ?? 'standard',
  };

  constructor(
    joinedWith: readonly PublishedTrack[],
    private readonly participant: LocalParticipant,
    private readonly connection: PublisherConnection,
  ) {
    for (const track of joinedWith) {
      this.published.push(track);
      if (isMedia(track)) this.watch(track);
    }
  }

  /**
   * After a (re)join: as twilio-video's connect() resolves, the tracks asked for are already
   * published. The server names their SIDs in `joined`, so their publications exist before its
   * offer gives them lines (which then find them by SID, and keep them).
   */
  publishedAtJoin(tracks: readonly TrackInfo[]): void {
    for (const track of this.published) {
      const info = tracks.find((t) => t.kind === track.kind && t.name === track.name);
      if (!info || this.participant.tracks.get(info.sid)?.track === track) continue;
      const publish = () => this.participant._published(new LocalTrackPublication(info.sid, track, this.host));
      // A data track joined with is published once its channel is open, after connect() resolved
      // (twilio-video's data track example waits for that trackPublished to enable sending).
      if (isData(track)) track._whenOpen(() => this.published.includes(track) && publish());
      else publish();
    }
  }

  /** What a new peer session sends on its lines. */
  get tracks(): LocalMediaTrack[] {
    return this.published.filter(isMedia);
  }

  /** The data tracks a new peer session opens channels for (each published, by the server's `joined`). */
  get dataTracks(): LocalDataTrack[] {
    return this.published.filter(isData);
  }

  /** What a (re)join asks the server for. */
  get requests(): TrackRequest[] {
    return this.published.map((track) => trackRequest(track, this.priorities.get(track)));
  }

  /**
   * twilio-video's publishTrack: a LocalAudioTrack, a LocalVideoTrack, or a MediaStreamTrack
   * (wrapped, named by `options.name`). Resolves once the server receives it; publishing a track
   * again gives its publication (or the promise still waiting for it).
   */
  publishTrack(
    trackOrMediaStreamTrack: PublishedTrack | MediaStreamTrack,
    options: LocalTrackPublishOptions = {},
  ): Promise<LocalTrackPublication> {
    const track = this.localTrackFor(trackOrMediaStreamTrack, options);
    const existing = [...this.participant.tracks.values()].find((p) => p.track === track);
    if (existing) return Promise.resolve(existing);
    const waiting = this.pending.promiseOf(track);
    if (waiting) return waiting;
    // Unpublished while its line was on its way: the line it gives back is not this publish's.
    if (this.pending.isQueued(track))
      return this.refuse(track, 'INVALID_MESSAGE', 'The track is still being unpublished; try again');
    const problem = nameProblem(track.name) ?? (normalizeName(track.name) === track.name ? undefined : 'has spaces');
    if (problem) return this.refuse(track, 'TRACK_NAME_INVALID', `The track name ${problem}`);
    if (this.published.some((t) => t.name === track.name))
      return this.refuse(track, 'TRACK_NAME_DUPLICATED', `A track named '${track.name}' is already published`);
    if (!this.connection.isConnected())
      return this.refuse(track, 'PUBLISH_FAILED', 'The room is not connected: the track was not published');
    const published = this.pending.add(track);
    this.published.push(track);
    if (options.priority && options.priority !== 'standard') this.priorities.set(track, options.priority);
    this.connection.send({ type: 'publish', ...trackRequest(track, this.priorities.get(track)) });
    if (isMedia(track)) {
      this.watch(track);
      this.connection.session().addTrack(track);
    }
    return published;
  }

  /** publication.setPriority(): kept (a rejoin asks for it again) and told to the server. */
  private setPriority(track: PublishedTrack, priority: TrackPriority): void {
    if ((this.priorities.get(track) ?? 'standard') === priority) return;
    if (priority === 'standard') this.priorities.delete(track);
    else this.priorities.set(track, priority);
    const publication = [...this.participant.tracks.values()].find((p) => p.track === track);
    if (publication && this.connection.isConnected())
      this.connection.send({ type: 'trackPriority', trackSid: publication.trackSid, priority });
  }

  /** Stops publishing; null (and nothing done) for a track that is not published. */
  unpublishTrack(trackOrMediaStreamTrack: PublishedTrack | MediaStreamTrack): LocalTrackPublication | null {
    const track = this.published.find(
      (t) => t === trackOrMediaStreamTrack || (isMedia(t) && t.mediaStreamTrack === trackOrMediaStreamTrack),
    );
    if (!track) return null;
    this.drop(track);
    if (this.pending.isWaiting(track)) {
      // Its line is on its way: the track keeps its claim to it, and gives it back when it comes.
      this.pending.cancel(
        track,
        new HuddleError('PUBLISH_FAILED', 'The track was unpublished before it was published'),
      );
      return null;
    }
    const publication = [...this.participant.tracks.values()].find((p) => p.track === track) ?? null;
    if (isData(track)) {
      this.connection.session().forgetDataTrack(track);
      track._detach();
    }
    const line = isMedia(track) ? this.connection.session().removeTrack(track) : undefined;
    const trackSid = line?.trackSid ?? publication?.trackSid;
    if (trackSid) this.participant._unpublished(trackSid);
    if (trackSid && this.connection.isConnected()) this.connection.send({ type: 'unpublish', trackSid });
    return publication;
  }

  /** The room answered an offer: these lines carry this page's tracks now. */
  answered(lines: readonly SendLine[]): void {
    const carried = new Set<string>();
    for (const line of lines) {
      if (!this.published.includes(line.track)) {
        // Unpublished while the server was adding its line: give the line back.
        this.pending.forget(line.track);
        this.connection.session().removeTrack(line.track);
        this.connection.send({ type: 'unpublish', trackSid: line.trackSid });
        continue;
      }
      carried.add(line.trackSid);
      if (this.participant.tracks.get(line.trackSid)?.track !== line.track) {
        const track = line.track;
        const publication = new LocalTrackPublication(line.trackSid, track, this.host);
        this.participant._published(publication);
        this.pending.published(line.track, publication);
      }
      // Tracks muted before they had a line: tell the server now that it knows their SIDs.
      if (!line.track.isEnabled) this.connection.send({ type: 'trackState', trackSid: line.trackSid, enabled: false });
    }
    // Publications the server's lines no longer back: of a track no longer published, or of one
    // that a line carries under another SID now (a rejoin that had to take a new participant SID).
    const carriedTracks = new Set<PublishedTrack>(lines.filter((l) => carried.has(l.trackSid)).map((l) => l.track));
    for (const [trackSid, publication] of this.participant.tracks) {
      if (carried.has(trackSid) || publication.kind === 'data') continue;
      if (!this.published.includes(publication.track) || carriedTracks.has(publication.track))
        this.participant._unpublished(trackSid);
    }
  }

  /**
   * The server answered a data track's publish with its SID: the track is published, and its
   * channel opens (a track unpublished meanwhile gives the SID back).
   */
  dataPublished(trackSid: string, name: string): void {
    const track = this.dataTracks.find((t) => t.name === name);
    if (!track) {
      this.pending.forgetNamed(name);
      if (this.connection.isConnected()) this.connection.send({ type: 'unpublish', trackSid });
      return;
    }
    const publication = new LocalTrackPublication(trackSid, track, this.host);
    this.participant._published(publication);
    this.pending.published(track, publication);
    this.connection.session().openDataChannel(track);
  }

  /** The server refused a publish (an error with ref 'publish', naming the track). */
  refused(refusal: HuddleError, trackName: string | undefined): void {
    const error = ['TRACK_NAME_DUPLICATED', 'TRACK_NAME_INVALID', 'TOO_MANY_TRACKS'].includes(refusal.huddleCode)
      ? refusal
      : new HuddleError('PUBLISH_FAILED', refusal.message, { cause: refusal });
    const track = this.pending.refuse(trackName, error);
    if (!track) return log.warn(`huddle: the server refused a publish this page did not send: ${refusal.huddleCode}`);
    if (isMedia(track)) this.connection.session().removeTrack(track);
    if (this.published.includes(track)) {
      this.drop(track);
      this.participant._publicationFailed(error, track);
    }
  }

  /**
   * The room is reconnecting: publishes still waiting fail (the rejoin cannot say which answer
   * would have been theirs); everything else stays published, and the rejoin asks for it again.
   */
  connectionLost(cause: HuddleError): void {
    const error = new HuddleError(
      'PUBLISH_FAILED',
      'The connection to the room was lost before the track was published',
      {
        cause,
      },
    );
    for (const track of this.pending.failAll(error)) {
      this.drop(track);
      this.participant._publicationFailed(error, track);
    }
  }

  /** The room is over: waiting publishes fail; the page's tracks are its own again. */
  ended(error: HuddleError | undefined): void {
    const failure = new HuddleError('PUBLISH_FAILED', 'The room disconnected before the track was published', {
      cause: error,
    });
    for (const track of this.pending.failAll(failure)) this.participant._publicationFailed(failure, track);
    for (const unwatch of [...this.unwatchers.values()]) unwatch();
    // The tracks outlive the room (a page joins again with them): nothing of this room listens to them.
    this.participant._ended();
  }

  /** The LocalTrack this page publishes for a MediaStreamTrack: the one already made for it, or a new one. */
  private localTrackFor(track: PublishedTrack | MediaStreamTrack, options: LocalTrackPublishOptions): PublishedTrack {
    if (track instanceof LocalAudioTrack || track instanceof LocalVideoTrack || track instanceof LocalDataTrack)
      return track;
    const known = this.published.filter(isMedia).find((t) => t.mediaStreamTrack === track);
    if (known) return known;
    const named = options.name === undefined ? {} : { name: options.name };
    return track.kind === 'audio' ? new LocalAudioTrack(track, named) : new LocalVideoTrack(track, named);
  }

  /** A publish this page turns down before asking the server. */
  private refuse(track: PublishedTrack, code: ErrorCode, message: string): Promise<never> {
    const error = new HuddleError(code, message);
    this.participant._publicationFailed(error, track);
    return Promise.reject(error);
  }

  /** Forgets a published track (not yet its line). */
  private drop(track: PublishedTrack): void {
    const index = this.published.indexOf(track);
    if (index >= 0) this.published.splice(index, 1);
    this.priorities.delete(track);
    this.unwatchers.get(track)?.();
  }

  /**
   * Mute, unmute, restart and a video processor added or removed change what the track's line
   * sends; a share ended from the browser's own button is unpublished.
   */
  private watch(track: LocalMediaTrack): void {
    const changed = () => this.onTrackChanged(track);
    const stopped = () => this.unpublishTrack(track);
    track.on('enabled', changed).on('disabled', changed).on('restarted', changed);
    const unwatchSent = track._watchSentTrack(changed);
    if (track.name === 'screen') track.on('stopped', stopped);
    this.unwatchers.set(track, () => {
      track.off('enabled', changed).off('disabled', changed).off('restarted', changed).off('stopped', stopped);
      unwatchSent();
      this.unwatchers.delete(track);
    });
  }

  private onTrackChanged(track: LocalMediaTrack): void {
    if (!this.connection.isConnected()) return;
    const line = this.connection.session().refreshTrack(track);
    if (line) this.connection.send({ type: 'trackState', trackSid: line.trackSid, enabled: track.isEnabled });
  }
}
