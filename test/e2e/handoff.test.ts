/**
 * Sends handed off to libdatachannel's threads (what a media worker switches to under heavy
 * forwarding, forced here from the first packet with HUDDLE_SEND_HANDOFF_ABOVE=0): a real call
 * must look exactly as it does with inline sends. Checked through the page: each video in the
 * right tile, delta frames decoding (a subscriber stuck waiting for key frames would decode key
 * frames only), audio flowing.
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
  deltaFramesDecoded,
  eventually,
  expectLiveVideoInRightTiles,
  join,
} from '../helpers/call-page';
import { type Colour, writeColourY4m } from '../helpers/fake-camera';
import { type RunningServer, startServer } from '../helpers/server';

const PEOPLE: { name: string; colour: Colour }[] = [
  { name: 'Ada', colour: 'red' },
  { name: 'Ben', colour: 'green' },
  { name: 'Cy', colour: 'blue' },
];
const COLOUR_OF = Object.fromEntries(PEOPLE.map((p) => [p.name, p.colour]));

let server: RunningServer;
const browsers: Browser[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  server = await startServer({ HUDDLE_SEND_HANDOFF_ABOVE: '0' });
  const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-y4m-'));
  for (const person of PEOPLE) {
    const browser = await launchChromium({ videoFile: writeColourY4m(dir, person.colour) });
    browsers.push(browser);
    const page = await browser.newPage();
    await page.goto(`${server.url}/room/handoff`);
    pages.push(page);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await server?.stop();
});

describe('sends handed off to the media threads', () => {
  it('three people see and hear each other as with inline sends', async () => {
    // Two join with inline sends; the third joins once the worker has switched, so every line
    // to and from Cy starts out handed off (each new subscriber waits for a key frame first).
    await Promise.all(pages.slice(0, 2).map((page, i) => join(page, PEOPLE[i]!.name)));
    await eventually(
      async () => server.output(),
      (log) => log.includes('sends handed off to the media threads'),
      'the worker to hand sends off',
    );
    await join(pages[2]!, PEOPLE[2]!.name);
    for (const [i, page] of pages.entries()) {
      const others = PEOPLE.filter((_, j) => j !== i).map((p) => p.name);
      await eventually(
        () => countLine(page),
        (line) => line === '3 participants online.',
        'the count line',
      );
      await expectLiveVideoInRightTiles(page, others, COLOUR_OF);
      // The fake cameras send a key frame only when asked: dozens of delta frames mean the stream flows.
      await eventually(
        () => deltaFramesDecoded(page),
        (frames) => frames.length === 2 && frames.every((n) => n >= 30),
        'delta frames decoded from both others',
      );
      const before = await audioPacketsReceived(page);
      await eventually(
        () => audioPacketsReceived(page),
        (after) => after.length === 2 && after.every((n, k) => n > (before[k] ?? Infinity)),
        'audio packets to keep arriving',
      );
    }
    // Queued packets count as forwarded.
    const forwarded = async () =>
      Number(
        /^huddle_forwarded_packets_total (\d+)/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1] ?? 0,
      );
    const first = await forwarded();
    await eventually(forwarded, (n) => n > first + 100, 'the forwarded-packets metric to grow');
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  }, 180_000);
});
