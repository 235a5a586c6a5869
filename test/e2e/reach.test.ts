/**
 * Reaching people where they are: the page over HTTPS (as a phone on the LAN needs it), and
 * media relayed through a real TURN server (Debian's coturn) when direct paths are forbidden.
 */

import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { DEADLINE_MS, eventually } from '../../harness/call-page';
import { type RunningTurn, startCoturn } from '../helpers/coturn';
import { expectLiveVideoInRightTiles } from '../helpers/expect-video';

let call: Call<'Fay' | 'Gus'> | undefined;
let turn: RunningTurn | undefined;

afterEach(async () => {
  await call?.close();
  turn?.stop();
  call = turn = undefined;
});

/** Two people, each in their own Chromium with their own colour, joined to one room on a server with this environment. */
async function twoPeopleJoin(env: Record<string, string>): Promise<Call<'Fay' | 'Gus'>> {
  call = await startCall({
    server: env,
    room: 'reach',
    people: [
      { name: 'Fay', colour: 'red' },
      { name: 'Gus', colour: 'green' },
    ],
  });
  await expectLiveVideoInRightTiles(call.pages.Fay, ['Gus'], call.colourOf);
  await expectLiveVideoInRightTiles(call.pages.Gus, ['Fay'], call.colourOf);
  return call;
}

async function activePair(page: Page) {
  return page.evaluate(async () => (await window.huddleRoom!.getStats())[0]!.activeIceCandidatePair);
}

describe('reach', () => {
  it(
    'serves the page over HTTPS with a self-signed certificate, and two pages see each other',
    async () => {
      const { server, pages } = await twoPeopleJoin({ HUDDLE_HTTPS: '1', HUDDLE_WORKERS: '1' });
      expect(server.url).toMatch(/^https:\/\//);
      expect(await pages.Fay.evaluate(() => location.protocol)).toBe('https:');
      expect(await pages.Fay.evaluate(() => window.isSecureContext)).toBe(true);
      // Over HTTPS, the browser is told to come back over HTTPS only.
      expect(await pages.Fay.evaluate(async () => (await fetch('/')).headers.get('strict-transport-security'))).toMatch(
        /max-age=31536000/,
      );
    },
    DEADLINE_MS * 4,
  );

  it(
    'relays media through coturn when clients may only use TURN',
    async () => {
      turn = await startCoturn();
      const { pageList } = await twoPeopleJoin({
        HUDDLE_WORKERS: '1',
        HUDDLE_TURN_URLS: turn.url,
        HUDDLE_TURN_SECRET: turn.secret,
        HUDDLE_ICE_TRANSPORT_POLICY: 'relay',
      });
      for (const page of pageList) {
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
