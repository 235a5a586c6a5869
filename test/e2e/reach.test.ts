/**
 * Reaching people where they are: the page over HTTPS (as a phone on the LAN needs it), and
 * media relayed through a real TURN server (Debian's coturn) when direct paths are forbidden.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { DEADLINE_MS, eventually, expectLiveVideoInRightTiles, join } from '../helpers/call-page';
import { type RunningTurn, startCoturn } from '../helpers/coturn';
import { writeColourY4m } from '../helpers/fake-camera';
import { type RunningServer, startServer } from '../helpers/server';

const COLOUR_OF = { Fay: 'red', Gus: 'green' } as const;
let server: RunningServer | undefined;
let turn: RunningTurn | undefined;
const browsers: Browser[] = [];

afterEach(async () => {
  await Promise.all(browsers.splice(0).map((b) => b.close()));
  await server?.stop();
  turn?.stop();
  server = turn = undefined;
});

/** Two people, each in their own Chromium with their own colour, joined to one room. */
async function twoPeopleJoin(url: string): Promise<Page[]> {
  const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-y4m-'));
  const pages: Page[] = [];
  for (const [name, colour] of Object.entries(COLOUR_OF)) {
    const browser = await launchChromium({ videoFile: writeColourY4m(dir, colour) });
    browsers.push(browser);
    // The test alone accepts the self-signed certificate, as a person would by clicking through once.
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await page.goto(`${url}/room/reach`);
    await join(page, name);
    pages.push(page);
  }
  await expectLiveVideoInRightTiles(pages[0]!, ['Gus'], COLOUR_OF);
  await expectLiveVideoInRightTiles(pages[1]!, ['Fay'], COLOUR_OF);
  return pages;
}

async function activePair(page: Page) {
  return page.evaluate(async () => (await window.huddleRoom!.getStats())[0]!.activeIceCandidatePair);
}

describe('reach', () => {
  it(
    'serves the page over HTTPS with a self-signed certificate, and two pages see each other',
    async () => {
      server = await startServer({ HUDDLE_HTTPS: '1', HUDDLE_WORKERS: '1' });
      expect(server.url).toMatch(/^https:\/\//);
      const pages = await twoPeopleJoin(server.url);
      expect(await pages[0]!.evaluate(() => location.protocol)).toBe('https:');
      expect(await pages[0]!.evaluate(() => window.isSecureContext)).toBe(true);
    },
    DEADLINE_MS * 4,
  );

  it(
    'relays media through coturn when clients may only use TURN',
    async () => {
      turn = await startCoturn();
      server = await startServer({
        HUDDLE_WORKERS: '1',
        HUDDLE_TURN_URLS: turn.url,
        HUDDLE_TURN_SECRET: turn.secret,
        HUDDLE_ICE_TRANSPORT_POLICY: 'relay',
      });
      const pages = await twoPeopleJoin(server.url);
      for (const page of pages) {
        const pair = await eventually(
          () => activePair(page),
          (p) => p !== null,
          'a selected candidate pair',
        );
        expect(pair!.localCandidate.candidateType).toBe('relay');
      }
      // coturn itself saw the allocations, authenticated with Huddle's short-lived credentials.
      expect(turn.output()).toMatch(/:Fay/);
      expect(turn.output()).toMatch(/:Gus/);
    },
    DEADLINE_MS * 4,
  );
});
