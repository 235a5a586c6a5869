import type { HuddleError } from './huddle-error.js';
import type { LocalTrackPublication, PublishedTrack } from './local-track-publication.js';

interface Pending {
  track: PublishedTrack;
  promise: Promise<LocalTrackPublication>;
  resolve: (publication: LocalTrackPublication) => void;
  reject: (error: HuddleError) => void;
  settled: boolean;
}

/**
 * publishTrack() promises waiting for the server. The server answers each publish message, in
 * order, with a line in a later offer or with an error (ref 'publish'); so an entry stays queued
 * until that answer, even when its promise was settled earlier (the track was unpublished first),
 * and the oldest entry is the one a refusal is about.
 */
export class PendingPublishes {
  private queue: Pending[] = [];

  add(track: PublishedTrack): Promise<LocalTrackPublication> {
    let resolve!: Pending['resolve'];
    let reject!: Pending['reject'];
    const promise = new Promise<LocalTrackPublication>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.queue.push({ track, promise, resolve, reject, settled: false });
    return promise;
  }

  /** The promise still waiting for this track's publication, if one does. */
  promiseOf(track: PublishedTrack): Promise<LocalTrackPublication> | undefined {
    return this.queue.find((p) => p.track === track && !p.settled)?.promise;
  }

  /** Whether a promise for this track still waits. */
  isWaiting(track: PublishedTrack): boolean {
    return this.queue.some((p) => p.track === track && !p.settled);
  }

  /** Whether the server's answer to a publish of this track is still to come. */
  isQueued(track: PublishedTrack): boolean {
    return this.queue.some((p) => p.track === track);
  }

  /** The server gave the track its line: its promise resolves (if it still waits). */
  published(track: PublishedTrack, publication: LocalTrackPublication): void {
    const entry = this.take((p) => p.track === track);
    if (entry && !entry.settled) entry.resolve(publication);
  }

  /** The server gave a line to a track no longer wanted (unpublished while it waited): drops its entry. */
  forget(track: PublishedTrack): void {
    this.take((p) => p.track === track);
  }

  /** The server answered a data track's publish after it was unpublished: drops its entry. */
  forgetNamed(name: string): void {
    this.take((p) => p.track.name === name);
  }

  /**
   * The server refused a publish: the oldest of the track named in its refusal, or (a server that
   * names none) the oldest of all. Its promise rejects; returns its track.
   */
  refuse(name: string | undefined, error: HuddleError): PublishedTrack | undefined {
    const entry = this.take((p) => name === undefined || p.track.name === name);
    if (entry && !entry.settled) entry.reject(error);
    return entry?.track;
  }

  /** Rejects the track's promise now; its entry waits for the server's answer still. */
  cancel(track: PublishedTrack, error: HuddleError): void {
    for (const entry of this.queue)
      if (entry.track === track && !entry.settled) {
        entry.settled = true;
        entry.reject(error);
      }
  }

  /** The server forgot them all (a reconnection) or the room is over: returns the tracks whose promise rejected. */
  failAll(error: HuddleError): PublishedTrack[] {
    const waiting = this.queue.filter((p) => !p.settled);
    this.queue = [];
    for (const entry of waiting) entry.reject(error);
    return waiting.map((p) => p.track);
  }

  private take(match: (entry: Pending) => boolean): Pending | undefined {
    const index = this.queue.findIndex(match);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }
}
