/**
 * Dynacast: a publisher encodes only the layers of a video that someone receives. A layer nobody
 * receives or waits for (every viewer's tile is small, or nobody watches at all) is turned off
 * after a while unwanted, and one someone wants again is turned on at once. Turning one layer
 * off or on makes Chrome reconfigure its encoder, and every viewer of the video sees it stall
 * for a moment (measured in the lab: 200–300 ms, four keyframes): so a single layer waits
 * longer, until viewers who joined have had time to take it (their estimates start low and
 * climb), while a video nobody watches at all stops after a short wait. The
 * allocators may still choose a layer turned off here (at what it cost when it was on): that is
 * how it is wanted again, and a viewer keeps its layer until the one it waits for comes back.
 */

import type { InboundLayer } from './inbound-layer.js';

/** A layer nobody has wanted for this long is no longer encoded. */
export const UNWANTED_PAUSE_MS = 15_000;
/** A video none of whose layers anyone wants is no longer encoded after this long. */
export const UNWATCHED_PAUSE_MS = 5000;

export class Dynacast {
  /** Since when each layer has been unwanted (undefined: it is wanted). */
  private readonly unwantedSinceMs: Array<number | undefined>;

  /** Low to high; each layer's `paused` is what the publisher was last told (all on at first). */
  constructor(private readonly layers: readonly InboundLayer[]) {
    this.unwantedSinceMs = layers.map(() => undefined);
  }

  /** Given which layers are wanted now: the layers to encode, when that changed (else undefined). */
  update(wanted: readonly boolean[], nowMs: number): boolean[] | undefined {
    let changed = false;
    const watched = wanted.some(Boolean);
    for (const layer of this.layers) {
      const i = layer.index;
      if (wanted[i]) this.unwantedSinceMs[i] = undefined;
      else this.unwantedSinceMs[i] ??= nowMs;
      const since = this.unwantedSinceMs[i];
      const paused = since !== undefined && nowMs - since >= (watched ? UNWANTED_PAUSE_MS : UNWATCHED_PAUSE_MS);
      if (paused === layer.paused) continue;
      layer.paused = paused;
      changed = true;
    }
    return changed ? this.layers.map((layer) => !layer.paused) : undefined;
  }
}
