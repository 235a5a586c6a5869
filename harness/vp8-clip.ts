/**
 * Real VP8 for publishers that are not browsers: a short clip encoded once by Chromium's own
 * WebCodecs encoder (libvpx, as a browser's camera would be), at several sizes, so a light
 * process can publish simulcast layers a browser can decode. A room of eight browsers with
 * cameras is more than two cores can encode; eight of these cost next to nothing.
 *
 * Each size loops the same picture sequence: a drawing that moves every frame, with a keyframe
 * every `keyframeEvery` frames (a publisher asked for a keyframe skips to the next one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export interface ClipSize {
  width: number;
  height: number;
  /** Target bits per second. */
  bitrate: number;
}

export interface EncodedFrame {
  keyframe: boolean;
  data: Buffer;
}

export interface EncodedClip extends ClipSize {
  frames: EncodedFrame[];
  fps: number;
}

export interface ClipOptions {
  fps?: number;
  /** Frames in the loop. */
  frames?: number;
  keyframeEvery?: number;
}

/** Encodes the clip at each size, smallest first as given. */
export async function encodeVp8Clip(
  browser: Browser,
  sizes: readonly ClipSize[],
  options: ClipOptions = {},
): Promise<EncodedClip[]> {
  const fps = options.fps ?? 24;
  const frames = options.frames ?? 4 * fps;
  const keyframeEvery = options.keyframeEvery ?? fps;
  // WebCodecs needs a secure context: a page from a file is one.
  const dir = mkdtempSync(join(tmpdir(), 'huddle-vp8-'));
  const file = join(dir, 'encode.html');
  writeFileSync(file, '<!doctype html><title>encode</title>');
  const page = await browser.newPage();
  try {
    // tsx (the bench, the scripts) names functions with an esbuild helper; pages need it too.
    await page.addInitScript('globalThis.__name ??= (fn) => fn;');
    await page.goto(`file://${file}`);
    const encoded = await page.evaluate(
      async ({ sizes, fps, frames, keyframeEvery }) => {
        const toBase64 = (bytes: Uint8Array) => {
          let text = '';
          for (const byte of bytes) text += String.fromCharCode(byte);
          return btoa(text);
        };
        const out: Array<Array<{ key: boolean; data: string }>> = [];
        for (const size of sizes) {
          const canvas = new OffscreenCanvas(size.width, size.height);
          const context = canvas.getContext('2d')!;
          const chunks: Array<{ key: boolean; data: string }> = [];
          const encoder = new VideoEncoder({
            output: (chunk) => {
              const bytes = new Uint8Array(chunk.byteLength);
              chunk.copyTo(bytes);
              chunks.push({ key: chunk.type === 'key', data: toBase64(bytes) });
            },
            error: (error) => {
              throw error;
            },
          });
          encoder.configure({
            codec: 'vp8',
            width: size.width,
            height: size.height,
            bitrate: size.bitrate,
            framerate: fps,
            latencyMode: 'realtime',
          });
          for (let i = 0; i < frames; i++) {
            // Every size draws the same scene, scaled: a sweep of colour with blocks crossing it.
            const { width: w, height: h } = size;
            context.fillStyle = `hsl(${(i * 360) / frames}, 60%, 45%)`;
            context.fillRect(0, 0, w, h);
            for (let k = 0; k < 24; k++) {
              context.fillStyle = `hsl(${(k * 47) % 360}, 70%, ${30 + ((k * 13) % 40)}%)`;
              const x = ((k * 97 + i * (2 + (k % 5))) % 100) / 100;
              const y = ((k * 61 + i * (1 + (k % 3))) % 100) / 100;
              context.fillRect(x * w, y * h, w / 12, h / 10);
            }
            const frame = new VideoFrame(canvas, { timestamp: Math.round((i * 1e6) / fps) });
            encoder.encode(frame, { keyFrame: i % keyframeEvery === 0 });
            frame.close();
          }
          await encoder.flush();
          encoder.close();
          out.push(chunks);
        }
        return out;
      },
      { sizes: [...sizes], fps, frames, keyframeEvery },
    );
    return sizes.map((size, i) => ({
      ...size,
      fps,
      frames: encoded[i]!.map((chunk) => ({ keyframe: chunk.key, data: Buffer.from(chunk.data, 'base64') })),
    }));
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
