/**
 * Before and around joining, in Chromium: the preview (and how soon it shows), the device settings,
 * joining with camera and microphone off, a refused camera, the name remembered, switching camera
 * mid-call. (The phone-sized screen and the keyboard are call-ui.test.ts's.)
 */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import {
  audioPacketsFrom,
  countLine,
  DEADLINE_MS,
  eventually,
  join,
  openSettings,
  remoteTiles,
  tileOf,
} from '../../harness/call-page';
import { type RunningServer, startServer } from '../../harness/server';

let server: RunningServer;
let browser: Browser;
let observer: Page;

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1' });
  // Chromium's second fake camera (fake_device_1) is a depth format no encoder takes; the
  // switch test uses the third (fake_device_2).
  browser = await launchChromium({ fakeDevices: 3 });
  observer = await browser.newPage();
  await observer.goto(`${server.url}/room/prejoin`);
  await join(observer, 'Observer');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('before joining', () => {
  it('shows the mirrored camera preview soon after the page opens, the microphone level and the device settings', async () => {
    const page = await browser.newPage();
    const opened = Date.now();
    await page.goto(`${server.url}/room/prejoin`);
    // Measured, not asserted (a loaded machine may take longer): from the page's start to a preview frame on screen.
    const inPage = await page.waitForFunction(
      () => {
        const video = document.querySelector<HTMLVideoElement>('.preview video');
        return video && video.currentTime > 0 ? performance.now() : 0;
      },
      undefined,
      { polling: 'raf', timeout: DEADLINE_MS },
    );
    console.log(
      `pre-join preview playing ${Math.round(await inPage.jsonValue())} ms after navigation started (${Date.now() - opened} ms as the test saw it)`,
    );
    expect(await page.locator('.preview video').evaluate((v) => getComputedStyle(v).transform)).toMatch(/^matrix\(-1,/);
    expect(await page.locator('.room-name').textContent()).toBe('prejoin');
    await eventually(
      () => page.getByLabel('Microphone level').evaluate((m: HTMLMeterElement) => m.value),
      (level) => level > 0,
      "the microphone meter moving with Chromium's fake beep",
    );
    await openSettings(page);
    for (const device of ['Camera', 'Microphone', 'Speaker'])
      expect(await page.getByRole('combobox', { name: device, exact: true }).count(), device).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor({ state: 'hidden' });
    await page.close();
  });

  it(
    'joins with camera and microphone off, shows it to others, and remembers the name',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/room/prejoin`);
      // The preview's own toggles, before joining.
      await page.getByRole('button', { name: 'Turn camera off' }).click();
      await page.getByRole('button', { name: 'Mute microphone' }).click();
      await join(page, 'Quiet');
      const tile = tileOf(observer, 'Quiet');
      await tile.locator('.camera-off').waitFor({ timeout: DEADLINE_MS });
      await tile.locator('.muted-marker').waitFor({ timeout: DEADLINE_MS });
      expect(await page.locator('.participant.local .muted-marker').count()).toBe(1);
      // Later, it can still be turned on: the tracks were published, muted.
      await page.getByRole('button', { name: 'Turn camera on' }).click();
      await eventually(
        async () => (await remoteTiles(observer)).find((t) => t.name === 'Quiet')?.videoWidth ?? 0,
        (w) => w > 0,
        "Quiet's video once turned on",
      );
      await page.getByRole('button', { name: 'Leave call' }).click();
      await page.reload();
      expect(await page.locator('#username').inputValue()).toBe('Quiet');
      await page.close();
    },
    DEADLINE_MS * 3,
  );

  it(
    'says a refused camera is refused, and joins with the microphone only',
    async () => {
      const page = await browser.newPage();
      // What a page sees when the person refuses the camera permission.
      await page.addInitScript(() => {
        const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = (constraints) =>
          constraints?.video
            ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
            : original(constraints);
      });
      await page.goto(`${server.url}/room/prejoin`);
      await eventually(
        () => page.locator('#notice').textContent(),
        (text) => !!text?.includes('Camera blocked: allow it for this site') && !!text?.includes('You can still join'),
        'the camera notice, with how to fix it',
      );
      expect(await page.locator('.preview .camera-off').textContent()).toContain('Camera unavailable');
      expect(await page.getByRole('button', { name: 'Turn camera off' }).isDisabled()).toBe(true);
      await join(page, 'Voice only');
      await tileOf(observer, 'Voice only').locator('.camera-off').waitFor({ timeout: DEADLINE_MS });
      await eventually(
        () => audioPacketsFrom(observer, 'Voice only'),
        (n) => n > 20,
        "the voice-only person's audio",
      );
      await page.getByRole('button', { name: 'Leave call' }).click();
      await page.close();
    },
    DEADLINE_MS * 3,
  );
});

describe('in the call', () => {
  it(
    'switches to another camera without rejoining',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/room/prejoin`);
      await join(page, 'Switcher');
      const sid = await page.evaluate(() => window.huddleRoom!.localParticipant.sid);
      await eventually(
        async () => (await remoteTiles(observer)).find((t) => t.name === 'Switcher')?.framesShown ?? 0,
        (n) => n > 0,
        'video before the switch',
      );
      await openSettings(page);
      const cameras = page.getByRole('combobox', { name: 'Camera', exact: true });
      const second = await cameras.locator('option', { hasText: 'fake_device_2' }).getAttribute('value');
      const labelBefore = await page.evaluate(
        () => [...window.huddleRoom!.localParticipant.videoTracks.values()][0]!.track.mediaStreamTrack.label,
      );
      await cameras.selectOption(second!);
      await eventually(
        () =>
          page.evaluate(
            () => [...window.huddleRoom!.localParticipant.videoTracks.values()][0]!.track.mediaStreamTrack.label,
          ),
        (label) => label !== labelBefore,
        'the new camera in use',
      );
      const before = (await remoteTiles(observer)).find((t) => t.name === 'Switcher')!.framesShown;
      await eventually(
        async () => (await remoteTiles(observer)).find((t) => t.name === 'Switcher')?.framesShown ?? 0,
        (n) => n > before + 10,
        'video after the switch',
      );
      expect(await page.evaluate(() => window.huddleRoom!.localParticipant.sid)).toBe(sid);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Settings' }).waitFor({ state: 'hidden' });
      expect(await countLine(page)).toBe('2 participants online.');
      await page.getByRole('button', { name: 'Leave call' }).click();
      await page.close();
    },
    DEADLINE_MS * 3,
  );
});
