import type { TrackEvent } from './events.js';
import type { Track } from './track.js';

/**
 * Listens to some of a track's events on behalf of its participant, which repeats them as its
 * own (twilio-video's trackStarted, trackDimensionsChanged, …); returns what stops listening.
 */
export function relayTrackEvents(track: Track, relays: Partial<Record<`${TrackEvent}`, () => void>>): () => void {
  const entries = Object.entries(relays) as Array<[`${TrackEvent}`, () => void]>;
  for (const [event, listener] of entries) track.on(event, listener);
  return () => {
    for (const [event, listener] of entries) track.off(event, listener);
  };
}
