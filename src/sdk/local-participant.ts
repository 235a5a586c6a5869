import type { ParticipantInfo } from '../protocol/messages.js';
import type { NetworkQualityConfiguration } from '../protocol/network-quality.js';
import type { EncodingParameters } from './encoding-parameters.js';
import { type LocalParticipantEventMap, ParticipantEvent } from './events.js';
import type { HuddleError } from './huddle-error.js';
import type { LocalDataTrack } from './local-data-track.js';
import type { LocalAudioTrack, LocalVideoTrack } from './local-track.js';
import type { LocalTrackPublication, PublishedTrack } from './local-track-publication.js';
import { Participant } from './participant.js';
import { relayTrackEvents } from './track-relay.js';

export type LocalParticipantEvents = LocalParticipantEventMap<LocalParticipant, LocalTrackPublication, PublishedTrack>;

/** twilio-video's LocalTrackPublishOptions: `name` applies to a MediaStreamTrack; `priority` is taken. */
export interface LocalTrackPublishOptions {
  name?: string;
  logLevel?: unknown;
  priority?: 'low' | 'standard' | 'high';
}

/** How LocalParticipant reaches its room to publish (the room owns the connection). */
export interface Publisher {
  publishTrack(
    track: PublishedTrack | MediaStreamTrack,
    options?: LocalTrackPublishOptions,
  ): Promise<LocalTrackPublication>;
  unpublishTrack(track: PublishedTrack | MediaStreamTrack): LocalTrackPublication | null;
  setParameters(parameters: EncodingParameters | null | undefined): void;
  setNetworkQualityConfiguration(configuration: NetworkQualityConfiguration): void;
}

/** This page in the room. */
export class LocalParticipant extends Participant<LocalParticipantEvents> {
  /** By track SID, as the server names them (known once the server's offer carrying each arrived). */
  readonly tracks = new Map<string, LocalTrackPublication>();
  /** What stops repeating each published media track's events as this participant's. */
  private readonly relays = new Map<PublishedTrack, () => void>();
  /** Twilio's signalling region; a self-hosted server has one place. */
  readonly signalingRegion = 'self-hosted';

  constructor(
    info: ParticipantInfo,
    private readonly publisher: Publisher,
  ) {
    super(info.sid, info.identity);
  }

  /**
   * twilio-video's publishTrack: any LocalAudioTrack or LocalVideoTrack, or a MediaStreamTrack
   * (named by `options.name`, else its id). Resolves once the server receives it; rejects with
   * TrackNameIsDuplicatedError when a published track has its name, and PUBLISH_FAILED when the
   * server refuses it or the room reconnects or disconnects first.
   */
  publishTrack(
    track: PublishedTrack | MediaStreamTrack,
    options?: LocalTrackPublishOptions,
  ): Promise<LocalTrackPublication> {
    return this.publisher.publishTrack(track, options);
  }

  publishTracks(tracks: Array<PublishedTrack | MediaStreamTrack>): Promise<LocalTrackPublication[]> {
    return Promise.all(tracks.map((track) => this.publisher.publishTrack(track)));
  }

  /** Stops publishing the track; null (and nothing done) for a track that is not published. */
  unpublishTrack(track: PublishedTrack | MediaStreamTrack): LocalTrackPublication | null {
    return this.publisher.unpublishTrack(track);
  }

  unpublishTracks(tracks: Array<PublishedTrack | MediaStreamTrack>): LocalTrackPublication[] {
    return tracks
      .map((track) => this.publisher.unpublishTrack(track))
      .filter((p): p is LocalTrackPublication => p !== null);
  }

  /** twilio-video's setParameters: caps on the bits/s each audio and video track sends (null or 0: none). */
  setParameters(parameters?: EncodingParameters | null): this {
    this.publisher.setParameters(parameters);
    return this;
  }

  /** twilio-video's: how much of this page's and the others' network quality to report (0 to 3 each). */
  setNetworkQualityConfiguration(configuration: NetworkQualityConfiguration): this {
    this.publisher.setNetworkQualityConfiguration(configuration);
    return this;
  }

  get audioTracks(): Map<string, LocalTrackPublication<LocalAudioTrack>> {
    return this.ofKind('audio');
  }

  get videoTracks(): Map<string, LocalTrackPublication<LocalVideoTrack>> {
    return this.ofKind('video');
  }

  get dataTracks(): Map<string, LocalTrackPublication<LocalDataTrack>> {
    return this.ofKind('data');
  }

  /** The publications of one kind: their tracks are of that kind's class. */
  private ofKind<T extends PublishedTrack>(kind: T['kind']): Map<string, LocalTrackPublication<T>> {
    return new Map([...this.tracks].filter(([, p]) => p.kind === kind)) as Map<string, LocalTrackPublication<T>>;
  }

  /** @internal the server may give a new SID after a reconnection. */
  _setSid(sid: string): void {
    this.sid = sid;
  }

  /** @internal */
  _published(publication: LocalTrackPublication): void {
    const replaced = this.tracks.get(publication.trackSid);
    if (replaced && replaced !== publication) replaced._release();
    this.tracks.set(publication.trackSid, publication);
    const track = publication.track;
    if (track.kind !== 'data' && !this.relays.has(track)) {
      this.relays.set(
        track,
        relayTrackEvents(track, {
          enabled: () => this.emit(ParticipantEvent.TrackEnabled, track),
          disabled: () => this.emit(ParticipantEvent.TrackDisabled, track),
          started: () => this.emit(ParticipantEvent.TrackStarted, track),
          stopped: () => this.emit(ParticipantEvent.TrackStopped, track),
          dimensionsChanged: () => this.emit(ParticipantEvent.TrackDimensionsChanged, track),
        }),
      );
    }
    this.emit(ParticipantEvent.TrackPublished, publication);
  }

  /** @internal */
  _unpublished(trackSid: string): void {
    const publication = this.tracks.get(trackSid);
    const track = publication?.track;
    publication?._release();
    this.tracks.delete(trackSid);
    if (!track || [...this.tracks.values()].some((p) => p.track === track)) return;
    this.relays.get(track)?.();
    this.relays.delete(track);
  }

  /**
   * @internal the room ended: its publications and this participant stop listening to the
   * tracks, which a page may publish again in its next room (the publications stay listed).
   */
  _ended(): void {
    for (const publication of this.tracks.values()) publication._release();
    for (const stop of this.relays.values()) stop();
    this.relays.clear();
  }

  /** @internal */
  _publicationFailed(error: HuddleError, track: PublishedTrack): void {
    this.emit(ParticipantEvent.TrackPublicationFailed, error, track);
  }
}
