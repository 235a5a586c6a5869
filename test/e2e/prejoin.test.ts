/**
 * Before and around joining, in Chromium: joining with camera and microphone off, a refused
 * camera, the name remembered, switching camera mid-call, a phone-sized screen and the keyboard.
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
  it(
    'joins with camera and microphone off, shows it to others, and remembers the name',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/room/prejoin`);
      await page.getByLabel('Camera on').uncheck();
      await page.getByLabel('Microphone on').uncheck();
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
        (text) => !!text?.includes('No camera is available (or it was refused)'),
        'the camera notice',
      );
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
      expect(await countLine(page)).toBe('2 participants online.');
      await page.getByRole('button', { name: 'Leave call' }).click();
      await page.close();
    },
    DEADLINE_MS * 3,
  );

  it(
    'fits a phone-sized screen, and every control is reachable by keyboard with an accessible name',
    async () => {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/room/prejoin`);
      await join(page, 'Phone');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      const controls = await page.$$eval(
        'button:not([disabled]), input:not([disabled]), select:not([disabled])',
        (elements) =>
          elements.map((el) => {
            const labelled =
              el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent;
            return { id: el.outerHTML.slice(0, 60), name: (labelled ?? '').trim() };
          }),
      );
      for (const control of controls) expect(control.name, control.id).not.toBe('');
      const reached = new Set<string>();
      for (let i = 0; i < controls.length + 5; i++) {
        await page.keyboard.press('Tab');
        reached.add(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 60) ?? ''));
      }
      for (const control of controls) expect(reached.has(control.id), `${control.name} reachable by Tab`).toBe(true);
      await page.getByRole('button', { name: 'Leave call' }).click();
      await context.close();
    },
    DEADLINE_MS * 2,
  );
});
