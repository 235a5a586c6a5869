/**
 * The seed's system end to end: real Chromium pages with fake cameras (one solid colour per
 * person) and microphones, joining through the page as a person would, on the embedded SFU.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import {
  audioPacketsReceived,
  countLine,
  DEADLINE_MS,
  eventually,
  expectLiveVideoInRightTiles,
  join,
} from '../helpers/call-page';
import { type Colour, writeColourY4m } from '../helpers/fake-camera';
import { type RunningServer, startServer } from '../helpers/server';

const PEOPLE: { name: string; colour: Colour }[] = [
  { name: 'Alice', colour: 'red' },
  { name: 'Bob', colour: 'green' },
  { name: 'Zoë 🎥', colour: 'blue' },
];
const COLOUR_OF = Object.fromEntries(PEOPLE.map((p) => [p.name, p.colour]));

let server: RunningServer;
const browsers: Browser[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  server = await startServer();
  const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-y4m-'));
  for (const person of PEOPLE) {
    const browser = await launchChromium({ videoFile: writeColourY4m(dir, person.colour) });
    browsers.push(browser);
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`[${person.name}] page error:`, error));
    await page.goto(`${server.url}/room/e2e-call`);
    pages.push(page);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await server?.stop();
});

describe('a call on the embedded SFU', () => {
  it('shows the local camera in a tile labelled Me before joining', async () => {
    for (const page of pages) {
      await eventually(
        () => page.$eval('.participant.local video', (v: HTMLVideoElement) => v.videoWidth).catch(() => 0),
        (w) => w > 0,
        'the local preview',
      );
      expect(await page.locator('.participant.local .name').textContent()).toBe('Me');
      expect(await countLine(page)).toBe('Disconnected.');
    }
  });

  it('three people see and hear each other, each video in the right tile', async () => {
    const started = Date.now();
    await Promise.all(pages.map((page, i) => join(page, PEOPLE[i]!.name)));
    for (const [i, page] of pages.entries()) {
      const others = PEOPLE.filter((_, j) => j !== i).map((p) => p.name);
      await eventually(
        () => countLine(page),
        (line) => line === '3 participants online.',
        'the count line',
      );
      await expectLiveVideoInRightTiles(page, others, COLOUR_OF);
    }
    console.log(`three pages joined and showed each other's video in ${Date.now() - started} ms`);
    // The embedded page never loads twilio-video.
    for (const page of pages) {
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      expect(loaded.filter((url) => url.includes('twilio'))).toEqual([]);
    }
    for (const page of pages) {
      const before = await eventually(
        () => audioPacketsReceived(page),
        (p) => p.length === 2 && p.every((n) => n > 0),
        'remote audio packets',
      );
      await eventually(
        () => audioPacketsReceived(page),
        (after) => after.length === 2 && after.every((n, k) => n > before[k]!),
        'remote audio packets to keep arriving',
      );
    }
  }, 180_000);

  it('someone in another room sees none of them, and they do not see them', async () => {
    const page = await browsers[0]!.newPage();
    await page.goto(`${server.url}/room/another-room`);
    await join(page, 'Dana');
    await eventually(
      () => countLine(page),
      (line) => line === '1 participant online.',
      'a lone count line',
    );
    expect(await page.locator('.participant.remote').count()).toBe(0);
    for (const p of pages) {
      expect(await countLine(p)).toBe('3 participants online.');
      expect(await p.locator('.participant.remote').count()).toBe(2);
    }
    await page.getByRole('button', { name: 'Leave call' }).click();
    await page.close();
  }, 120_000);

  it(
    'when one leaves, the others drop to one remote tile and 2 participants within 5 s',
    async () => {
      const [alice, bob, zoe] = pages as [Page, Page, Page];
      await zoe.getByRole('button', { name: 'Leave call' }).click();
      const left = Date.now();
      await Promise.all(
        [alice, bob].map((page) =>
          eventually(
            async () => ({ line: await countLine(page), tiles: await page.locator('.participant.remote').count() }),
            (v) => v.line === '2 participants online.' && v.tiles === 1,
            'the departure to show',
            5000,
          ),
        ),
      );
      console.log(`departure shown on both remaining pages after ${Date.now() - left} ms`);
      await eventually(
        () => countLine(zoe),
        (line) => line === 'Disconnected.',
        'the leaver to read Disconnected.',
      );
      expect(await zoe.locator('.participant.remote').count()).toBe(0);
      expect(await zoe.getByRole('button', { name: 'Join call' }).isVisible()).toBe(true);
      await expectLiveVideoInRightTiles(alice, ['Bob'], COLOUR_OF);
      await expectLiveVideoInRightTiles(bob, ['Alice'], COLOUR_OF);
    },
    DEADLINE_MS * 3,
  );
});
