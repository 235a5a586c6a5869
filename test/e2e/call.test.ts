/**
 * The seed's system end to end: real Chromium pages with fake cameras (one solid colour per
 * person) and microphones, joining through the page as a person would, on the embedded SFU.
 * Each test first brings the call to the state it starts from (nobody in it, or all three in it),
 * so none depends on what an earlier one did or left behind.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { audioPacketsReceived, countLine, DEADLINE_MS, eventually, join } from '../../harness/call-page';
import { expectLiveVideoInRightTiles } from '../helpers/expect-video';

const NAMES = ['Alice', 'Bob', 'Zoë 🎥'] as const;
type Name = (typeof NAMES)[number];
let call: Call<Name>;

beforeAll(async () => {
  call = await startCall({
    room: 'e2e-call',
    people: [
      { name: 'Alice', colour: 'red' },
      { name: 'Bob', colour: 'green' },
      { name: 'Zoë 🎥', colour: 'blue' },
    ],
    join: false,
  });
}, 120_000);

afterAll(() => call?.close());

const others = (name: Name) => NAMES.filter((n) => n !== name);
const inCall = (page: Page) => page.getByRole('button', { name: 'Leave call' }).isVisible();

/** Nobody in the call: whoever is in it leaves, and every page reads Disconnected. */
async function nobodyInCall() {
  for (const page of call.pageList)
    if (await inCall(page)) await page.getByRole('button', { name: 'Leave call' }).click();
  for (const page of call.pageList)
    await eventually(
      () => countLine(page),
      (line) => line === 'Disconnected.',
      'the page to read Disconnected.',
    );
}

/** All three in the call, each page counting three: whoever is not in it joins, one at a time. */
async function everyoneInCall() {
  for (const name of NAMES) if (!(await inCall(call.pages[name]))) await join(call.pages[name], name);
  for (const page of call.pageList)
    await eventually(
      () => countLine(page),
      (line) => line === '3 participants online.',
      'the count line',
    );
}

describe('a call on the embedded SFU', () => {
  it('shows the local camera in a tile labelled Me before joining', async () => {
    await nobodyInCall();
    for (const page of call.pageList) {
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
    await nobodyInCall();
    const started = Date.now();
    await Promise.all(NAMES.map((name) => join(call.pages[name], name)));
    for (const name of NAMES) {
      const page = call.pages[name];
      await eventually(
        () => countLine(page),
        (line) => line === '3 participants online.',
        'the count line',
      );
      await expectLiveVideoInRightTiles(page, others(name), call.colourOf);
    }
    console.log(`three pages joined and showed each other's video in ${Date.now() - started} ms`);
    // The embedded page never loads twilio-video.
    for (const page of call.pageList) {
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      expect(loaded.filter((url) => url.includes('twilio'))).toEqual([]);
    }
    for (const page of call.pageList) {
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
    // Everyone's network quality is on their tile: five bars, nearly all lit on this machine's own network.
    for (const page of call.pageList) {
      await eventually(
        () =>
          page
            .locator('.participant [role="img"][aria-label^="Network quality"]')
            .evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label'))),
        (labels) => labels.length === 3 && labels.every((l) => /^Network quality [45] of 5$/.test(l ?? '')),
        'network quality bars on every tile',
      );
    }
  }, 180_000);

  it('someone in another room sees none of them, and they do not see them', async () => {
    await everyoneInCall();
    const page = await call.newPage('Alice', 'another-room');
    await join(page, 'Dana');
    await eventually(
      () => countLine(page),
      (line) => line === '1 participant online.',
      'a lone count line',
    );
    expect(await page.locator('.participant.remote').count()).toBe(0);
    for (const p of call.pageList) {
      expect(await countLine(p)).toBe('3 participants online.');
      expect(await p.locator('.participant.remote').count()).toBe(2);
    }
    await page.getByRole('button', { name: 'Leave call' }).click();
    await page.close();
  }, 120_000);

  it(
    'when one leaves, the others drop to one remote tile and 2 participants within 5 s',
    async () => {
      await everyoneInCall();
      const { Alice: alice, Bob: bob, 'Zoë 🎥': zoe } = call.pages;
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
      await expectLiveVideoInRightTiles(alice, ['Bob'], call.colourOf);
      await expectLiveVideoInRightTiles(bob, ['Alice'], call.colourOf);
    },
    DEADLINE_MS * 3,
  );
});
