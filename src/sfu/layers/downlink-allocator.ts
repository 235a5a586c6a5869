/**
 * Shares one subscriber's downlink among the videos it receives in layers. Every video it wants
 * gets its lowest layer first; what is left takes them up one layer at a time, in order of rank
 * (the caller's: screen shares, then the dominant speaker, then the rest), while it lasts, never
 * above the layer its tile's size needs. A layer goes up only with a margin to spare and not
 * during the estimate's hold-off; a layer that still fits is kept. When even the lowest layers do
 * not fit by far, the lowest-ranked videos are switched off (never the first). Videos not sent in
 * layers, and audio, are paid for first.
 */
import type { SwitchOffReason } from '../../protocol/messages.js';
import type { InboundLayer } from './inbound-layer.js';

export interface AllocatedVideo {
  /** Low to high. */
  layers: readonly InboundLayer[];
  /** Layers the publisher was told not to encode (dynacast), low to high: choosing one turns it on again. */
  paused?: readonly boolean[];
  /** The layer it has been given until now (-1: off). */
  target: number;
  /** Lower goes first. */
  rank: number;
  /** The subscriber wants it (switched on, shown somewhere). */
  wanted: boolean;
  /** The height it is shown at (device pixels), when the subscriber said. */
  renderHeight: number | undefined;
  /** The server switched it off for the link (max-bandwidth-reached) and has not switched it on since. */
  offForBandwidth: boolean;
}

/** When videos may be switched off for the link: the budget to judge by, and whether it has been short long enough. */
export interface SwitchOffRule {
  budget: number;
  /** The lowest layers have needed far more than the budget for a while (not one bad second). */
  sustained: boolean;
}

export interface Allocation {
  /** The layer index; -1 for a video switched off. */
  target: number;
  off: SwitchOffReason | null;
}

/** Until a layer is measured, what it is taken to cost, by index (bits/s). */
const UNMEASURED_BPS = [150_000, 500_000, 1_500_000];
/** A layer goes up only if the new total leaves this share of the estimate unused. */
const UPGRADE_MARGIN = 0.15;
/**
 * A layer it has is kept while the total stays within this much over the estimate: a downgrade
 * costs a keyframe of every layer of that publisher (Chrome makes one for all at any request),
 * which everyone else watching it receives too, so an estimate that wanders a little must not.
 */
const KEEP_TOLERANCE = 1.1;
/** A layer this much shorter than its tile is still sharp enough. */
const SIZE_SLACK = 0.9;

const costOf = (layer: InboundLayer): number =>
  layer.bitrate > 0 ? layer.bitrate : (UNMEASURED_BPS[layer.index] ?? UNMEASURED_BPS.at(-1)!);

/**
 * Of these layers (low to high), the ones a tile `renderHeight` tall can use: up to the first one
 * as tall as it (a layer whose height is not known yet is not ruled out); all without a height.
 */
export function usefulFor<T extends InboundLayer>(layers: readonly T[], renderHeight: number | undefined): T[] {
  if (renderHeight === undefined) return [...layers];
  const enough = layers.findIndex((layer) => layer.height >= renderHeight * SIZE_SLACK);
  return enough < 0 ? [...layers] : layers.slice(0, enough + 1);
}

/**
 * The layers worth sending: the active ones (or the lowest, when none is active yet) and the ones
 * off only because nobody wanted them, those the tile can use.
 */
function choosable(video: AllocatedVideo, nowMs: number): InboundLayer[] {
  const active = video.layers.filter((layer) => layer.isActive(nowMs) || video.paused?.[layer.index]);
  return usefulFor(active.length > 0 ? active : video.layers.slice(0, 1), video.renderHeight);
}

/**
 * The layer each video gets within `budget` (-1: none): all their lowest, then up by rank.
 * `growing`: a layer above the one a video has is taken only once its bitrate has settled: a
 * publisher's layers climb for their first seconds, and a layer taken at what it cost then
 * overshoots a thin link (measured in the lab: a viewer behind 700 kbit/s took a 640×480 layer
 * measured at ~500 kbit/s that settled at ~830, lost half its packets for two seconds, and the
 * keyframe repairs that followed froze a video for seconds more).
 */
function share(
  videos: readonly AllocatedVideo[],
  on: readonly boolean[],
  budget: number,
  nowMs: number,
  growing = false,
): number[] {
  const options = videos.map((video) => choosable(video, nowMs));
  const chosen = options.map((_, i) => (on[i] ? 0 : -1));
  let left = budget - options.reduce((sum, layers, i) => sum + (on[i] ? costOf(layers[0]!) : 0), 0);
  // Among equals, the ones already up keep their layers: swapping which of two tiles gets the
  // bigger layer costs two keyframes and gains nothing.
  const order = videos
    .map((_, i) => i)
    .sort((a, b) => videos[a]!.rank - videos[b]!.rank || videos[b]!.target - videos[a]!.target);
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of order) {
      if (!on[i]) continue;
      const layers = options[i]!;
      const next = layers[chosen[i]! + 1];
      if (!next) continue;
      if (growing && next.index > videos[i]!.target && !next.steady) continue;
      const step = costOf(next) - costOf(layers[chosen[i]!]!);
      if (step > left) continue;
      left -= step;
      chosen[i]!++;
      grew = true;
    }
  }
  return chosen.map((choice, i) => (choice < 0 ? -1 : options[i]![choice]!.index));
}

/** What the lowest layers of the videos that are on now need together (bits/s). */
export function lowestNeed(videos: readonly AllocatedVideo[], nowMs: number): number {
  return videos
    .filter((video) => video.wanted && !video.offForBandwidth)
    .reduce((sum, video) => sum + costOf(choosable(video, nowMs)[0]!), 0);
}

/**
 * Videos are switched off only when the lowest layers need this much more than the budget: below
 * that a link is only a little short, and a lowest layer that sometimes stalls is better than
 * none (an estimate is noisy; switching a video off and on again costs a keyframe each time).
 */
export const SWITCH_OFF_NEED = 1.5;

/**
 * Which wanted videos are on. One switched off for the link comes back, by rank, once its lowest
 * layer fits beside the others'; more are switched off, lowest rank first, only when the lowest
 * layers have needed far more than the budget for a while, and never the first.
 */
export function switchedOn(videos: readonly AllocatedVideo[], rule: SwitchOffRule, nowMs: number): boolean[] {
  const lowest = (i: number) => costOf(choosable(videos[i]!, nowMs)[0]!);
  const on = videos.map((video) => video.wanted && !video.offForBandwidth);
  let need = videos.reduce((sum, _, i) => sum + (on[i] ? lowest(i) : 0), 0);
  const byRank = videos.map((_, i) => i).sort((a, b) => videos[a]!.rank - videos[b]!.rank);
  for (const i of byRank) {
    if (!videos[i]!.wanted || on[i]) continue;
    if (need + lowest(i) > rule.budget && on.some(Boolean)) break;
    on[i] = true;
    need += lowest(i);
  }
  if (!rule.sustained) return on;
  for (const i of [...byRank].reverse()) {
    if (need <= rule.budget * SWITCH_OFF_NEED || on.filter(Boolean).length <= 1) break;
    if (!on[i]) continue;
    on[i] = false;
    need -= lowest(i);
  }
  return on;
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
  switchOff: SwitchOffRule = { budget: bitrate - reserved, sustained: true },
): Allocation[] {
  const budget = Math.max(0, bitrate - reserved);
  const on = switchedOn(videos, switchOff, nowMs);
  const keep = share(videos, on, budget * KEEP_TOLERANCE, nowMs);
  const grow = canGrow ? share(videos, on, budget - bitrate * UPGRADE_MARGIN, nowMs, true) : keep.map(() => -1);
  // A video coming back on starts from its lowest layer.
  const kept = videos.map((video, i) => Math.min(keep[i]!, video.target < 0 ? keep[i]! : video.target));
  // One video goes up at a time, the first by rank: each switch up starts with a keyframe of a
  // bigger layer, and two at once are a burst a thin link queues (measured in the lab: a viewer
  // behind 2 Mbit/s taking two 640×480 layers at once saw its REMB fall, and was held down).
  let up = -1;
  for (const [i, video] of videos.entries()) {
    if (on[i] && video.wanted && grow[i]! > kept[i]! && (up < 0 || video.rank < videos[up]!.rank)) up = i;
  }
  return videos.map((video, i) => {
    if (!video.wanted) return { target: -1, off: 'disabled-by-subscriber' };
    if (!on[i]) return { target: -1, off: 'max-bandwidth-reached' };
    return { target: i === up ? grow[i]! : kept[i]!, off: null };
  });
}
