/** What a person does on the Huddle page, and what they see there. */

import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Colour, nearestColour } from './fake-camera';

export const DEADLINE_MS = 45_000;

export async function join(page: Page, name: string): Promise<void> {
  // The page's own warnings and errors (the SDK's 'huddle: …' lines among them) explain a failure.
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error')
      console.log(`[${name}] ${message.type()}: ${message.text().slice(0, 300)}`);
  });
  await page.locator('#username').fill(name);
  await page.getByRole('button', { name: 'Join call' }).click();
  await page.getByRole('button', { name: 'Leave call' }).waitFor({ timeout: DEADLINE_MS });
}

export async function countLine(page: Page): Promise<string> {
  return (await page.locator('#count').textContent()) ?? '';
}

export interface TileView {
  name: string;
  videoWidth: number;
  framesShown: number;
  /** The average RGB of the middle of the picture. */
  rgb: number[] | null;
}

/** Every remote tile as a person sees it: the name under it and the picture in it. */
export function remoteTiles(page: Page): Promise<TileView[]> {
  return page.$$eval('.participant.remote', (tiles) =>
    tiles.map((tile) => {
      const name = tile.querySelector('.name')?.textContent ?? '';
      const video = tile.querySelector('video');
      if (!video) return { name, videoWidth: 0, framesShown: 0, rgb: null };
      let rgb: number[] | null = null;
      if (video.videoWidth > 0) {
        const canvas = document.createElement('canvas');
        canvas.width = 8;
        canvas.height = 8;
        const ctx = canvas.getContext('2d')!;
        const w = video.videoWidth;
        const h = video.videoHeight;
        ctx.drawImage(video, w / 4, h / 4, w / 2, h / 2, 0, 0, 8, 8);
        const data = ctx.getImageData(0, 0, 8, 8).data;
        rgb = [0, 0, 0];
        for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) rgb[c]! += data[i + c]! / 64;
      }
      return { name, videoWidth: video.videoWidth, framesShown: video.getVideoPlaybackQuality().totalVideoFrames, rgb };
    }),
  );
}

/** The remote tile of the person with exactly this name. */
export const tileOf = (page: Page, name: string) =>
  page.locator('.participant.remote', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });

/** Audio packets this page has received from one person's microphone. */
export function audioPacketsFrom(page: Page, identity: string): Promise<number> {
  return page.evaluate(async (who) => {
    const room = window.huddleRoom!;
    const participant = [...room.participants.values()].find((p) => p.identity === who);
    if (!participant) return 0;
    const sids = [...participant.audioTracks.keys()];
    const [report] = await room.getStats();
    return report!.remoteAudioTrackStats
      .filter((s) => sids.includes(s.trackSid))
      .reduce((n, s) => n + s.packetsReceived, 0);
  }, identity);
}

/** Total audio packets this page has received from each remote participant's audio track. */
export function audioPacketsReceived(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const room = window.huddleRoom;
    if (!room) return [];
    const [report] = await room.getStats();
    return report!.remoteAudioTrackStats.map((s) => s.packetsReceived);
  });
}

/** Delta (non-key) frames this page has decoded from each remote video track. */
export function deltaFramesDecoded(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const room = window.huddleRoom;
    if (!room) return [];
    const [report] = await room.getStats();
    return report!.remoteVideoTrackStats.map((s) => (s.framesDecoded ?? 0) - (s.keyFramesDecoded ?? 0));
  });
}

/** Polls a condition until it holds, or fails with the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = DEADLINE_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Every remote tile shows the named people, each picture advances between two looks, and shows
 * the colour of that person's camera.
 */
export async function expectLiveVideoInRightTiles(
  page: Page,
  names: string[],
  colourOf: Record<string, Colour>,
  timeoutMs = DEADLINE_MS,
) {
  const first = await eventually(
    () => remoteTiles(page),
    (tiles) => tiles.length === names.length && tiles.every((t) => t.videoWidth > 0 && t.framesShown > 0),
    `${names.length} remote tiles with decoded video`,
    timeoutMs,
  );
  const later = await eventually(
    () => remoteTiles(page),
    (tiles) =>
      tiles.length === names.length &&
      tiles.every((t) => t.framesShown > (first.find((f) => f.name === t.name)?.framesShown ?? Infinity)),
    'remote video frames to advance',
    timeoutMs,
  );
  expect(later.map((t) => t.name).sort()).toEqual([...names].sort());
  for (const tile of later) expect(nearestColour(tile.rgb!), `colour in ${tile.name}'s tile`).toBe(colourOf[tile.name]);
}
