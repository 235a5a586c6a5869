/**
 * A real call's features, in Chromium with fake devices, as the people in it see them: who is
 * speaking, chat, screen share, mute and camera off. Ana's microphone plays synthesized speech;
 * Bea's and Cal's play silence.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import {
  audioPacketsFrom,
  DEADLINE_MS,
  eventually,
  expectLiveVideoInRightTiles,
  join,
  remoteTiles,
  tileOf,
} from '../helpers/call-page';
import { writeSilenceWav, writeSpeechWav } from '../helpers/fake-audio';
import { writeColourY4m } from '../helpers/fake-camera';
import { type RunningServer, startServer } from '../helpers/server';

const COLOUR_OF = { Ana: 'red', Bea: 'green', Cal: 'blue' } as const;
let server: RunningServer;
const browsers: Browser[] = [];
let ana: Page, bea: Page, cal: Page;

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1' });
  const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-media-'));
  const speech = writeSpeechWav(dir);
  const silence = writeSilenceWav(dir);
  const pages: Page[] = [];
  for (const [name, colour] of Object.entries(COLOUR_OF)) {
    const browser = await launchChromium({
      videoFile: writeColourY4m(dir, colour),
      audioFile: name === 'Ana' ? speech : silence,
    });
    browsers.push(browser);
    const page = await browser.newPage();
    await page.goto(`${server.url}/room/features`);
    pages.push(page);
  }
  [ana, bea, cal] = pages as [Page, Page, Page];
  await Promise.all(pages.map((page, i) => join(page, Object.keys(COLOUR_OF)[i]!)));
  await expectLiveVideoInRightTiles(bea, ['Ana', 'Cal'], COLOUR_OF);
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await server?.stop();
});

const framesOf = async (page: Page, name: string) =>
  (await remoteTiles(page)).find((t) => t.name === name)?.framesShown ?? -1;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('features of a call', () => {
  it(
    "highlights the person speaking on everyone else's page",
    async () => {
      for (const page of [bea, cal]) {
        await eventually(
          () => page.locator('.participant.remote.speaking .name').allTextContents(),
          (names) => names.join() === 'Ana',
          'Ana highlighted as speaking',
        );
        expect(await tileOf(page, 'Cal').or(tileOf(page, 'Bea')).first().getAttribute('class')).not.toContain(
          'speaking',
        );
      }
    },
    DEADLINE_MS * 2,
  );

  it(
    'shows chat messages exactly as typed, to everyone, and to someone who joins later',
    async () => {
      const typed = '<b>not bold</b> & "quoted" <img src=x onerror=alert(1)>';
      await ana.getByLabel('Message').fill(typed);
      await ana.getByRole('button', { name: 'Send' }).click();
      for (const page of [ana, bea, cal]) {
        await eventually(
          () => page.locator('.chat-message .text').allTextContents(),
          (texts) => texts.includes(typed),
          'the message in the chat',
        );
        const message = page.locator('.chat-message').last();
        expect(await message.locator('.sender').textContent()).toBe('Ana');
        expect(await message.locator('.text b, .text img').count()).toBe(0);
      }
      const late = await browsers[1]!.newPage();
      await late.goto(`${server.url}/room/features`);
      await join(late, 'Dee');
      await eventually(
        () => late.locator('.chat-message .text').allTextContents(),
        (texts) => texts.includes(typed),
        'the history for a late joiner',
      );
      await late.getByRole('button', { name: 'Leave call' }).click();
      await late.close();
    },
    DEADLINE_MS * 2,
  );

  it(
    'shows a shared screen as its own tile for everyone, gone when sharing stops',
    async () => {
      for (const stop of ['button', 'browser'] as const) {
        await ana.getByRole('button', { name: 'Share screen' }).click();
        for (const page of [bea, cal]) {
          await eventually(
            () =>
              page
                .locator('.participant.screen video')
                .evaluate((v: HTMLVideoElement) => v.videoWidth)
                .catch(() => 0),
            (width) => width > 0,
            "Ana's screen decoded",
          );
          expect(await page.locator('.participant.screen .name').textContent()).toBe("Ana's screen");
        }
        if (stop === 'button') await ana.getByRole('button', { name: 'Stop sharing' }).click();
        else {
          // The browser's own 'Stop sharing' bar ends the capture track: simulate exactly that event.
          await ana.evaluate(() => {
            const screen = [...window.huddleRoom!.localParticipant.videoTracks.values()].find(
              (p) => p.trackName === 'screen',
            )!;
            screen.track.mediaStreamTrack.dispatchEvent(new Event('ended'));
          });
        }
        for (const page of [bea, cal])
          await eventually(
            () => page.locator('.participant.screen').count(),
            (n) => n === 0,
            'the screen tile to go',
          );
        await ana.getByRole('button', { name: 'Share screen' }).waitFor();
      }
    },
    DEADLINE_MS * 4,
  );

  it(
    'muting the microphone shows a marker to the others and stops its audio packets',
    async () => {
      await ana.getByRole('button', { name: 'Mute microphone' }).click();
      for (const page of [bea, cal])
        await tileOf(page, 'Ana').locator('.muted-marker').waitFor({ timeout: DEADLINE_MS });
      await pause(1500); // packets already in flight drain
      const before = await audioPacketsFrom(bea, 'Ana');
      await pause(2000);
      expect(await audioPacketsFrom(bea, 'Ana')).toBe(before);
      await ana.getByRole('button', { name: 'Unmute microphone' }).click();
      for (const page of [bea, cal])
        await eventually(
          () => tileOf(page, 'Ana').locator('.muted-marker').count(),
          (n) => n === 0,
          'the marker to go',
        );
      await eventually(
        () => audioPacketsFrom(bea, 'Ana'),
        (n) => n > before + 20,
        'audio packets again',
      );
    },
    DEADLINE_MS * 3,
  );

  it(
    "turning the camera off stops its frames on the others' pages, and on brings them back",
    async () => {
      await ana.getByRole('button', { name: 'Turn camera off' }).click();
      await tileOf(bea, 'Ana').locator('.camera-off').waitFor({ timeout: DEADLINE_MS });
      await pause(1500);
      const before = await framesOf(bea, 'Ana');
      await pause(2000);
      expect(await framesOf(bea, 'Ana')).toBe(before);
      await ana.getByRole('button', { name: 'Turn camera on' }).click();
      await eventually(
        () => framesOf(bea, 'Ana'),
        (n) => n > before + 5,
        "Ana's frames again",
      );
      expect(await tileOf(bea, 'Ana').locator('.camera-off').count()).toBe(0);
    },
    DEADLINE_MS * 3,
  );
});
