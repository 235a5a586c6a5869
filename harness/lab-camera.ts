/**
 * A camera that really uses bandwidth, for the network lab: a solid colour compresses to nothing
 * and per-pixel noise is too hard even for a direct call, so this is a smooth texture panning
 * across the picture with fresh grain in every frame (640×480 at 24 fps takes about 1.7 Mbit/s
 * unconstrained and still encodes smoothly at about 200 kbit/s), tinted so each person's video
 * stays recognisable. Written once per tint into a .y4m for --use-file-for-fake-video-capture.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabCameraOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** Seconds before the file loops. */
  seconds?: number;
  /** Chroma tint (U, V), so two people's videos differ. */
  tint?: [number, number];
}

/** A small deterministic generator, so the files are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** A texture twice the picture's width: blurred noise, so the encoder sees structure, not snow. */
function texture(width: number, height: number, next: () => number): Uint8Array {
  const raw = new Float32Array(width * height);
  for (let i = 0; i < raw.length; i++) raw[i] = next();
  const out = new Uint8Array(width * height);
  const radius = 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -radius; dy <= radius; dy += 1) {
        const yy = Math.min(height - 1, Math.max(0, y + dy));
        for (let dx = -radius; dx <= radius; dx += 2) {
          sum += raw[yy * width + Math.min(width - 1, Math.max(0, x + dx))]!;
          n++;
        }
      }
      out[y * width + x] = Math.round(40 + 170 * (sum / n));
    }
  }
  return out;
}

export function writeLabCamera(dir: string, name: string, options: LabCameraOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const fps = options.fps ?? 24;
  const frames = Math.round((options.seconds ?? 4) * fps);
  const [u, v] = options.tint ?? [128, 128];
  const file = join(dir, `lab-${name}-${width}x${height}.y4m`);
  if (existsSync(file)) return file;
  const next = random(0x9e3779b9 ^ name.length ^ (u << 8) ^ v);
  const base = texture(width * 2, height, next);
  const luma = width * height;
  const chroma = (width / 2) * (height / 2);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frameSize = 6 + luma + 2 * chroma;
  const out = Buffer.alloc(header.length + frames * frameSize);
  header.copy(out, 0);
  let offset = header.length;
  for (let f = 0; f < frames; f++) {
    out.write('FRAME\n', offset);
    offset += 6;
    // Pan across the texture and back, a pixel or two per frame, with grain on top.
    const shift = Math.round((width * (1 - Math.cos((2 * Math.PI * f) / frames))) / 2);
    for (let y = 0; y < height; y++) {
      const row = y * width * 2 + shift;
      for (let x = 0; x < width; x++) {
        const grain = (next() - 0.5) * 24;
        out[offset++] = Math.max(16, Math.min(235, base[row + x]! + grain));
      }
    }
    out.fill(u, offset, offset + chroma);
    offset += chroma;
    out.fill(v, offset, offset + chroma);
    offset += chroma;
  }
  writeFileSync(file, out);
  return file;
}
