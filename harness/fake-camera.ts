/**
 * Solid-colour Y4M files for Chromium's --use-file-for-fake-video-capture: one colour per browser
 * process lets a test check that each person's video lands in that person's tile.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Colour = 'red' | 'green' | 'blue' | 'yellow';

/** BT.601 limited-range YCbCr of each colour (what Chromium assumes for I420), and its RGB. */
export const COLOURS: Record<Colour, { yuv: [number, number, number]; rgb: [number, number, number] }> = {
  red: { yuv: [81, 90, 240], rgb: [255, 0, 0] },
  green: { yuv: [145, 54, 34], rgb: [0, 255, 0] },
  blue: { yuv: [41, 240, 110], rgb: [0, 0, 255] },
  yellow: { yuv: [210, 16, 146], rgb: [255, 255, 0] },
};

export function writeColourY4m(dir: string, colour: Colour, width = 320, height = 240, frames = 10): string {
  const [y, u, v] = COLOURS[colour].yuv;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`);
  const lumaSize = width * height;
  const chromaSize = (width / 2) * (height / 2);
  const frame = Buffer.alloc(6 + lumaSize + 2 * chromaSize);
  frame.write('FRAME\n');
  frame.fill(y, 6, 6 + lumaSize);
  frame.fill(u, 6 + lumaSize, 6 + lumaSize + chromaSize);
  frame.fill(v, 6 + lumaSize + chromaSize);
  const file = join(dir, `${colour}.y4m`);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return file;
}

/** The nearest of the known colours to an RGB sample. */
export function nearestColour([r, g, b]: number[]): Colour {
  let best: Colour = 'red';
  let bestDistance = Infinity;
  for (const [name, { rgb }] of Object.entries(COLOURS) as [Colour, (typeof COLOURS)[Colour]][]) {
    const d = (rgb[0] - r!) ** 2 + (rgb[1] - g!) ** 2 + (rgb[2] - b!) ** 2;
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * A camera that looks like someone at their desk, for screenshots a person looks at: a soft
 * background with a head-and-shoulders silhouette (BT.601 limited-range, as writeColourY4m).
 */
export function writePortraitY4m(dir: string, width = 640, height = 360): string {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`);
  const luma = Buffer.alloc(width * height);
  const chroma = (width / 2) * (height / 2);
  const u = Buffer.alloc(chroma);
  const v = Buffer.alloc(chroma);
  const inPerson = (x: number, y: number) => {
    const head = ((x - width / 2) / (height * 0.16)) ** 2 + ((y - height * 0.42) / (height * 0.2)) ** 2 <= 1;
    const shoulders = ((x - width / 2) / (height * 0.42)) ** 2 + ((y - height * 1.02) / (height * 0.36)) ** 2 <= 1;
    return head || shoulders;
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) luma[y * width + x] = inPerson(x, y) ? 70 : 150 - Math.round((y / height) * 40);
  for (let y = 0; y < height / 2; y++)
    for (let x = 0; x < width / 2; x++) {
      const person = inPerson(x * 2, y * 2);
      u[y * (width / 2) + x] = person ? 120 : 140;
      v[y * (width / 2) + x] = person ? 150 : 120;
    }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, u, v]);
  const file = join(dir, 'portrait.y4m');
  writeFileSync(file, Buffer.concat([header, frame, frame]));
  return file;
}
