/**
 * What a person does on the Huddle page, and what they see there: shared by the tests, the bench
 * and the screenshot script, so it reads the page and never asserts (test/helpers does that).
 */

import type { Page } from 'playwright-core';

export const DEADLINE_MS = 45_000;

const logged = new WeakSet<Page>();

/** The page's own warnings and errors (the SDK's 'huddle: …' lines among them) explain a failure: print them. */
export function logPageProblems(page: Page, name: string): void {
  if (logged.has(page)) return;
  logged.add(page);
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error')
      console.log(`[${name}] ${message.type()}: ${message.text().slice(0, 300)}`);
  });
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error));
}

/** Types the name and presses 'Join call', as a person would; resolves once the page is in the call. */
export async function join(page: Page, name: string): Promise<void> {
  logPageProblems(page, name);
  await page.locator('#username').fill(name);
  await page.getByRole('button', { name: 'Join call' }).click();
  await page.getByRole('button', { name: 'Leave call' }).waitFor({ timeout: DEADLINE_MS });
}

/** Opens the chat panel, as a person would click the toolbar's Chat button (it says how many are unread). */
export async function openChat(page: Page): Promise<void> {
  if (await page.getByRole('complementary', { name: 'Chat' }).isVisible()) return;
  await page.getByRole('button', { name: /^Chat( \(\d+ unread\))?$/ }).click();
  await page.getByLabel('Message').waitFor();
}

/** Types a chat message and sends it, opening the chat first. */
export async function sendChat(page: Page, text: string): Promise<void> {
  await openChat(page);
  await page.getByLabel('Message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Opens the settings dialog (camera, microphone, speaker) from the pre-join room or the toolbar. */
export async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('dialog', { name: 'Settings' }).waitFor();
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

/** RTP packets this page has received from one person's microphone (audio) or camera and screen (video). */
export function packetsFrom(page: Page, identity: string, kind: 'audio' | 'video'): Promise<number> {
  return page.evaluate(
    async ({ who, kind }) => {
      const room = window.huddleRoom!;
      const participant = [...room.participants.values()].find((p) => p.identity === who);
      if (!participant) return 0;
      const sids = [...(kind === 'audio' ? participant.audioTracks : participant.videoTracks).keys()];
      const [report] = await room.getStats();
      const stats = kind === 'audio' ? report!.remoteAudioTrackStats : report!.remoteVideoTrackStats;
      return stats.filter((s) => sids.includes(s.trackSid)).reduce((n, s) => n + s.packetsReceived, 0);
    },
    { who: identity, kind },
  );
}

/** Audio packets this page has received from one person's microphone. */
export const audioPacketsFrom = (page: Page, identity: string) => packetsFrom(page, identity, 'audio');

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
