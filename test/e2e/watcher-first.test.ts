/**
 * Someone who joins publishing nothing, before anyone else is there, gets the video published
 * after. Regression: their first offer carried only the SCTP line (for data tracks), and
 * libdatachannel then had no SRTP for the media lines added later; the video never played.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { decodedVideos, openSdkPage, sdkJoin } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';

let server: RunningServer;
let browser: Browser;
let publisher: Page;
let watcher: Page;

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1' });
  browser = await launchChromium();
  publisher = await openSdkPage(browser, server.url);
  watcher = await openSdkPage(browser, server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('a watcher alone in the room sees the video of someone who joins after', async () => {
  await sdkJoin(watcher, { token: await server.token('Watcher', 'first'), room: 'first', video: false });
  await sdkJoin(publisher, { token: await server.token('Publisher', 'first'), room: 'first', video: true });
  await expect.poll(() => decodedVideos(watcher), { timeout: 20_000 }).toBe(1);
}, 60_000);
