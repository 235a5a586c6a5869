/**
 * Network quality in twilio-video's shape: a level from 0 (the network is unusable) to 5 (it is
 * excellent) for each participant, from what its browser measures of the media it sends and
 * receives (the SFU's receiver reports feed the browser's figures for what it sends: loss, jitter,
 * round trip), with per-kind send and receive levels and the figures behind them. Each browser
 * computes its own and the room passes it on to everyone else. No zod here: the SDK shares it.
 */
/** The figures behind a level (twilio-video's NetworkQualitySendOrRecvStats); jitter and rtt in ms, bandwidth in bits/s. */
export interface NetworkQualitySendOrRecvStats {
  bandwidth: { actual: number | null; available: number | null; level: number | null } | null;
  latency: { jitter: number | null; rtt: number | null; level: number | null } | null;
  fractionLost: { fractionLost: number | null; level: number | null } | null;
}

export interface NetworkQualityMediaStats {
  send: number;
  recv: number;
  sendStats: NetworkQualitySendOrRecvStats | null;
  recvStats: NetworkQualitySendOrRecvStats | null;
}

/** twilio-video's NetworkQualityStats; the schema the server checks it with is network-quality-schema.ts. */
export interface NetworkQualityStats {
  level: number;
  audio: NetworkQualityMediaStats | null;
  video: NetworkQualityMediaStats | null;
}

/** twilio-video's NetworkQualityVerbosity: 0 none, 1 the level, 2 and per-kind levels, 3 and the figures. */
export type NetworkQualityVerbosity = 0 | 1 | 2 | 3;
export interface NetworkQualityConfiguration {
  local?: NetworkQualityVerbosity;
  remote?: NetworkQualityVerbosity;
}

/** The highest level whose bound the value is within (bounds from best to worst); 0 past them all. */
function levelWithin(value: number, bounds: readonly number[]): number {
  const index = bounds.findIndex((bound) => value <= bound);
  return index < 0 ? 0 : 5 - index;
}

/**
 * The bounds, chosen so a level means what a person notices: 5 nothing, 4 barely, 3 some
 * artefacts or delay, 2 frozen moments or clipped words, 1 hard to follow, 0 unusable.
 */
export const lossLevel = (fractionLost: number) => levelWithin(fractionLost, [0.01, 0.02, 0.05, 0.1, 0.2]);
/** Round trip, ms. */
export const rttLevel = (rttMs: number) => levelWithin(rttMs, [150, 250, 400, 700, 1200]);
/** Jitter, ms. */
export const jitterLevel = (jitterMs: number) => levelWithin(jitterMs, [30, 50, 80, 120, 200]);
/** What a sender's bandwidth estimate allows, kbit/s: video needs more than audio to be good. */
export function bandwidthLevel(availableKbps: number, kind: 'audio' | 'video'): number {
  const needs = kind === 'video' ? [1000, 600, 350, 200, 80] : [64, 40, 24, 16, 8];
  const index = needs.findIndex((need) => availableKbps >= need);
  return index < 0 ? 0 : 5 - index;
}

/** The worst of the levels that were measured; 5 when nothing was (nothing shows a problem). */
export function worstOf(levels: Array<number | null | undefined>): number {
  const known = levels.filter((l): l is number => typeof l === 'number');
  return known.length === 0 ? 5 : Math.min(...known);
}

/** What a page shows and reports of the stats at a verbosity (twilio-video's NetworkQualityConfiguration). */
export function atVerbosity(
  stats: NetworkQualityStats,
  verbosity: NetworkQualityVerbosity,
): NetworkQualityStats | null {
  if (verbosity === 0) return null;
  if (verbosity === 1) return { level: stats.level, audio: null, video: null };
  if (verbosity === 2) {
    const levelsOnly = (media: NetworkQualityMediaStats | null) =>
      media && { send: media.send, recv: media.recv, sendStats: null, recvStats: null };
    return { level: stats.level, audio: levelsOnly(stats.audio), video: levelsOnly(stats.video) };
  }
  return stats;
}
