/**
 * A participant whose connection drops and comes back (a network blip: the SDK reconnects and
 * keeps its participant SID) while two others stay in the call. The others must not notice more
 * than a moment's absence: no reconnection of their own, no offer their browser refuses (the old
 * failure: the returning participant's tracks were offered again beside the old lines with the
 * same msid, Chromium refused the whole offer, "Duplicate a=msid lines detected", and the pages
 * reconnected in a loop), and everyone sees the returning video in the right tile.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { countLine, eventually } from '../../harness/call-page';
import { expectLiveVideoInRightTiles } from '../helpers/expect-video';

type Name = 'Ana' | 'Ben' | 'Cy';
let call: Call<Name>;
/** Cuts Ana's signalling socket on demand, as a dropped network would (close 1006, no reason). */
let cutAna: (() => void) | undefined;
const problems: Record<Name, string[]> = { Ana: [], Ben: [], Cy: [] };

/** Every text the count line shows from now on, and whether the page ever reloaded. */
function watchCountLine(): void {
  const w = window as unknown as { countLines: string[] };
  w.countLines = [];
  const line = document.getElementById('count')!;
  new MutationObserver(() => w.countLines.push(line.textContent ?? '')).observe(line, {
    childList: true,
    characterData: true,
    subtree: true,
  });
}
const countLines = (page: Page) => page.evaluate(() => (window as unknown as { countLines: string[] }).countLines);
const sidOf = (page: Page) => page.evaluate(() => window.huddleRoom!.localParticipant.sid);

beforeAll(async () => {
  call = await startCall({
    server: { HUDDLE_WORKERS: '1' },
    room: 'resume',
    people: [
      { name: 'Ana', colour: 'red' },
      { name: 'Ben', colour: 'green' },
      { name: 'Cy', colour: 'blue' },
    ],
    onLoad: async (page, name) => {
      page.on('console', (message) => {
        if (/negotiation failed|Duplicate a=msid|refused/i.test(message.text())) problems[name].push(message.text());
      });
      if (name !== 'Ana') return;
      await page.routeWebSocket(
        (url) => url.pathname === '/signal',
        (ws) => {
          const server = ws.connectToServer();
          cutAna = () => {
            void server.close();
            void ws.close({ code: 4999, reason: 'network gone' });
          };
        },
      );
    },
  });
  await Promise.all(
    call.pageList.map((page, i) =>
      expectLiveVideoInRightTiles(
        page,
        call.people.filter((_, j) => j !== i).map((p) => p.name),
        call.colourOf,
      ),
    ),
  );
}, 180_000);

afterAll(async () => {
  await call?.close();
});

describe('a participant who reconnects beside two who stay', () => {
  it('comes back with the same SID; the others never reconnect or refuse an offer, and see the returning video', async () => {
    const { Ana: ana, Ben: ben, Cy: cy } = call.pages;
    const sid = await sidOf(ana);
    for (const page of [ben, cy]) await page.evaluate(watchCountLine);
    for (let round = 1; round <= 3; round++) {
      cutAna!();
      await eventually(
        () => countLine(ana),
        (line) => line === 'Reconnecting…',
        `Ana reconnecting (round ${round})`,
      );
      await eventually(
        () => countLine(ana),
        (line) => line === '3 participants online.',
        `Ana back (round ${round})`,
      );
      expect(await sidOf(ana)).toBe(sid);
      for (const page of [ana, ben, cy]) {
        const others = call.people
          .map((p) => p.name)
          .filter((n) => n !== call.people[call.pageList.indexOf(page)]!.name);
        await expectLiveVideoInRightTiles(page, others, call.colourOf);
      }
    }
    for (const page of [ben, cy]) {
      expect(await countLines(page)).not.toContain('Reconnecting…');
      expect(await countLine(page)).toBe('3 participants online.');
    }
    expect(problems.Ben).toEqual([]);
    expect(problems.Cy).toEqual([]);
  }, 240_000);
});
