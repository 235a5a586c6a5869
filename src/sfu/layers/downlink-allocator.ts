/**
 * Shares one subscriber's downlink among the videos it receives in layers. Every video gets its
 * lowest layer first; what is left takes them up one layer at a time, in order of rank (the
 * caller's: screen shares, then the dominant speaker, then the rest), while it lasts. A layer goes
 * up only with a margin to spare and not during the estimate's hold-off; a layer that still fits
 * is kept. Videos not sent in layers, and audio, are paid for first.
 */
import type { InboundLayer } from './inbound-layer.js';

export interface AllocatedVideo {
  /** Low to high. */
  layers: readonly InboundLayer[];
  /** The layer it has been given until now. */
  target: number;
  /** Lower goes first. */
  rank: number;
}

/** Until a layer is measured, what it is taken to cost, by index (bits/s). */
const UNMEASURED_BPS = [150_000, 500_000, 1_500_000];
/** A layer goes up only if the new total leaves this share of the estimate unused. */
const UPGRADE_MARGIN = 0.15;

const costOf = (layer: InboundLayer): number =>
  layer.bitrate > 0 ? layer.bitrate : (UNMEASURED_BPS[layer.index] ?? UNMEASURED_BPS.at(-1)!);

/** The layers worth sending: the active ones (or the lowest, when none is active yet). */
function choosable(video: AllocatedVideo, nowMs: number): InboundLayer[] {
  const active = video.layers.filter((layer) => layer.isActive(nowMs));
  return active.length > 0 ? active : video.layers.slice(0, 1);
}

/** The layer index each video gets within `budget`: all their lowest, then up by rank. */
function share(videos: readonly AllocatedVideo[], budget: number, nowMs: number): number[] {
  const options = videos.map((video) => choosable(video, nowMs));
  const chosen = options.map(() => 0);
  let left = budget - options.reduce((sum, layers) => sum + costOf(layers[0]!), 0);
  const order = videos.map((_, i) => i).sort((a, b) => videos[a]!.rank - videos[b]!.rank);
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of order) {
      const layers = options[i]!;
      const next = layers[chosen[i]! + 1];
      if (!next) continue;
      const step = costOf(next) - costOf(layers[chosen[i]!]!);
      if (step > left) continue;
      left -= step;
      chosen[i]!++;
      grew = true;
    }
  }
  return chosen.map((choice, i) => options[i]![choice]!.index);
}

/**
 * The target layer of each video for an estimate of `bitrate` with `reserved` of it already
 * spent (audio, videos not in layers).
 */
export function allocate(
  videos: readonly AllocatedVideo[],
  bitrate: number,
  reserved: number,
  canGrow: boolean,
  nowMs: number,
): number[] {
  const budget = Math.max(0, bitrate - reserved);
  const keep = share(videos, budget, nowMs);
  const grow = canGrow ? share(videos, budget - bitrate * UPGRADE_MARGIN, nowMs) : keep.map(() => -1);
  return videos.map((video, i) => Math.max(grow[i]!, Math.min(keep[i]!, video.target)));
}
