/**
 * Nobody joining sees 'Reconnecting…': 40 rounds of three people joining at the same moment, and
 * in none of them does any page reconnect. Before, libdatachannel could run the DTLS handshake
 * while it was still applying a joiner's answer, before it had stored the answer's fingerprint
 * (Chrome reached the server early through the candidates in the offer): "DTLS alert: unknown
 * CA", the connection failed, and the page came back only through a reconnection (3 joins in 40
 * fresh three-person rounds). The first offer now carries no candidates; they follow the answer.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { eventually } from '../../harness/call-page';
import { type Colour, writeColourY4m } from '../../harness/fake-camera';
import { decodedVideos, openSdkPage, sdkJoin, sdkLeave } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';

const ROUNDS = 40;
const COLOURS: Colour[] = ['red', 'green', 'blue'];
let server: RunningServer;
let dir: string;
const browsers: Browser[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1' });
  dir = mkdtempSync(join(tmpdir(), 'huddle-race-'));
  for (const colour of COLOURS) {
    const browser = await launchChromium({ videoFile: writeColourY4m(dir, colour) });
    browsers.push(browser);
    pages.push(await openSdkPage(browser, server.url));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const pageEvents = (page: Page) =>
  page.evaluate(() => (window as unknown as { huddleEvents?: string[] }).huddleEvents ?? []);
const reconnects = (page: Page) =>
  page.evaluate(() => (window as unknown as { huddleReconnects?: string[] }).huddleReconnects ?? []);

describe('three people joining at once, again and again', () => {
  it(`in ${ROUNDS} rounds, no page ever reconnects, and everyone sees the other two`, async () => {
    const seen: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const room = `race-${round}`;
      const tokens = await Promise.all(COLOURS.map((c) => server.token(c, room)));
      const logFrom = server.output().length;
      await Promise.all(pages.map((page, i) => sdkJoin(page, { token: tokens[i]!, room, video: true })));
      for (const [i, page] of pages.entries()) {
        await eventually(
          () => decodedVideos(page),
          (n) => n === 2,
          `round ${round}: two videos`,
        ).catch(async (error: Error) => {
          // What each page went through says which join went wrong.
          for (const [j, other] of pages.entries())
            console.log(`round ${round}, ${COLOURS[j]}'s page:\n  ${(await pageEvents(other)).join('\n  ')}`);
          console.log(`the server, this round:\n${server.output().slice(logFrom)}`);
          throw new Error(`${COLOURS[i]}: ${error.message}`);
        });
      }
      for (const [i, page] of pages.entries()) {
        for (const code of await reconnects(page)) seen.push(`round ${round}, ${COLOURS[i]}: ${code}`);
      }
      // The server's side: none of this round's connections failed while the three were joining
      // (leaving closes them, and the last round's closes may be logged late: match by SID).
      const sids = await Promise.all(pages.map((page) => page.evaluate(() => window.huddleRoom!.localParticipant.sid)));
      for (const line of server.output().slice(logFrom).split('\n')) {
        if (line.includes('media connection lost') && sids.some((sid) => line.includes(sid))) {
          seen.push(`round ${round}: the server lost a connection while they joined`);
        }
      }
      await Promise.all(pages.map(sdkLeave));
    }
    expect(seen).toEqual([]);
  }, 600_000);
});
