/**
 * The bench's synthetic camera in simulcast layers: frames shaped like a browser's three VP8
 * layers, fed to a LayeredPublisher (harness/layered-publisher.ts), with keyframes when a
 * receiver asks for one of a layer and every 10 s.
 *
 * Each layer sends 15 frames a second (capture instants shared by all layers, as one camera's),
 * L1T3 temporal pattern (0, 2, 1, 2):
 *   320×180   1,000-byte frames →  1 packet  (15 packets/s, ~120 kbit/s)
 *   640×360   3,300-byte frames →  3 packets (45 packets/s, ~400 kbit/s)
 *   1280×720  7,700-byte frames →  7 packets (105 packets/s, ~930 kbit/s)
 * A keyframe is three times a frame's size. Like libwebrtc's encoder feedback, a layer makes at
 * most one keyframe per 300 ms; a request inside that gets its keyframe when the 300 ms are up.
 */
import type { LayeredPublisher } from '../harness/layered-publisher';
import { syntheticVp8Frame } from '../harness/vp8-rtp';

export interface SyntheticLayer {
  width: number;
  height: number;
  frameBytes: number;
}

export const BENCH_LAYERS: readonly SyntheticLayer[] = [
  { width: 320, height: 180, frameBytes: 1000 },
  { width: 640, height: 360, frameBytes: 3300 },
  { width: 1280, height: 720, frameBytes: 7700 },
];
export const FRAMES_PER_SECOND = 15;
const KEYFRAME_SIZE_FACTOR = 3;
const PERIODIC_KEYFRAME_MS = 10_000;
const MIN_KEYFRAME_INTERVAL_MS = 300;
const TEMPORAL_PATTERN = [0, 2, 1, 2];
const TICK_MS = 10;

/** Packets each publisher sends per second when every layer is on (the runner's nominal load). */
export const NOMINAL_LAYER_PACKETS_PER_SECOND = 15 + 45 + 105;

/** Starts feeding `publisher`; frames start going out once its connection is open. */
export function startLayerSource(
  publisher: LayeredPublisher,
  layers: readonly SyntheticLayer[] = BENCH_LAYERS,
): { stop: () => void } {
  const started = performance.now();
  /** Per layer: the last keyframe (ms, -Infinity before one), a request waiting, frames since the keyframe. */
  const state = layers.map(() => ({ lastKeyframeMs: Number.NEGATIVE_INFINITY, asked: false, sinceKeyframe: 0 }));
  publisher.onKeyframeRequest((layer) => {
    if (state[layer]) state[layer].asked = true;
  });
  // Frames due follow the clock, not the ticks: a late tick sends what it owes.
  let frame = 0;
  const timer = setInterval(() => {
    const nowMs = performance.now();
    const due = ((nowMs - started) / 1000) * FRAMES_PER_SECOND;
    if (!publisher.isOpen) {
      frame = Math.ceil(due); // nothing is owed for the time before the connection opened
      return;
    }
    for (; frame < due; frame++) {
      const captureMs = started + (frame * 1000) / FRAMES_PER_SECOND;
      layers.forEach((layer, index) => {
        const s = state[index]!;
        if (!publisher.isActive(index)) {
          s.lastKeyframeMs = Number.NEGATIVE_INFINITY; // a layer that comes back starts with a keyframe
          return;
        }
        const since = nowMs - s.lastKeyframeMs;
        const keyframe =
          !Number.isFinite(s.lastKeyframeMs) ||
          since >= PERIODIC_KEYFRAME_MS ||
          (s.asked && since >= MIN_KEYFRAME_INTERVAL_MS);
        if (keyframe) {
          s.lastKeyframeMs = nowMs;
          s.asked = false;
          s.sinceKeyframe = 0;
        }
        const bytes = layer.frameBytes * (keyframe ? KEYFRAME_SIZE_FACTOR : 1);
        publisher.send(
          {
            layer: index,
            keyframe,
            data: syntheticVp8Frame(keyframe, layer.width, layer.height, bytes),
            width: layer.width,
            height: layer.height,
            temporalId: TEMPORAL_PATTERN[s.sinceKeyframe++ % TEMPORAL_PATTERN.length]!,
          },
          captureMs,
        );
      });
    }
  }, TICK_MS);
  return { stop: () => clearInterval(timer) };
}
