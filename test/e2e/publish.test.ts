/**
 * What the SDK does when publishing or negotiating goes wrong, in Chromium, on the page as a person
 * uses it. Ana's signalling socket runs through Playwright's WebSocket route, which passes
 * everything on except the one message a test picks: it answers that one as the server would when
 * it refuses (an `error` with `ref`, docs/protocol.md), or cuts the connection as a dying media
 * worker does (close 1012 MEDIA_RESTARTING) before the server could offer the new line.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { countLine, DEADLINE_MS, eventually, join, remoteTiles } from '../../harness/call-page';
import type { ErrorCode } from '../../src/protocol/errors';
import type { ServerMessage } from '../../src/protocol/messages';

/** What the route does to Ana's next message of one type; then it passes everything again. */
type Interference =
  | { on: 'publish' | 'answer'; reply: Extract<ServerMessage, { type: 'error' }> }
  | { on: 'publish'; close: { code: number; reason: string } };

let call: Call<'Ana' | 'Bea'>;
let ana: Page;
let bea: Page;
let interference: Interference | null = null;
const pageErrors: Error[] = [];
const warnings: string[] = [];

/** One of the SDK's failure events on Ana's page, with the error's code and its cause's. */
interface Failure {
  event: 'reconnecting' | 'trackPublicationFailed';
  code: ErrorCode;
  cause: ErrorCode | null;
}

/**
 * Ana's page records her room's reconnecting and her participant's trackPublicationFailed events
 * from the moment the page sets window.huddleRoom, before connect() has even returned.
 */
function recordFailures(): void {
  const failures: unknown[] = [];
  let current: unknown;
  const entry = (event: string, error: { huddleCode: string; cause?: unknown }) => ({
    event,
    code: error.huddleCode,
    cause: (error.cause as { huddleCode?: string } | undefined)?.huddleCode ?? null,
  });
  Object.defineProperty(window, 'huddleFailures', { value: failures });
  Object.defineProperty(window, 'huddleRoom', {
    configurable: true,
    get: () => current,
    set(room: NonNullable<Window['huddleRoom']>) {
      current = room;
      room.on('reconnecting', (error) => failures.push(entry('reconnecting', error)));
      room.localParticipant.on('trackPublicationFailed', (error) =>
        failures.push(entry('trackPublicationFailed', error)),
      );
    },
  });
}

const failures = () => ana.evaluate(() => (window as unknown as { huddleFailures: Failure[] }).huddleFailures);
/** Waits for the next failure after the `seen` first ones. */
const nextFailure = async (seen: number) =>
  (await eventually(failures, (all) => all.length > seen, 'a failure event')).slice(seen);

beforeAll(async () => {
  call = await startCall({
    server: { HUDDLE_WORKERS: '1' },
    room: 'publish',
    people: [
      { name: 'Ana', colour: 'red' },
      { name: 'Bea', colour: 'green' },
    ],
    join: false,
    initScript: recordFailures,
    onLoad: async (page, name) => {
      if (name !== 'Ana') return;
      // Set up before Ana joins: her signalling socket opens only then.
      await page.routeWebSocket(
        (url) => url.pathname === '/signal',
        (ws) => {
          const toServer = ws.connectToServer();
          ws.onMessage((message) => {
            const type = typeof message === 'string' ? (JSON.parse(message) as { type?: string }).type : undefined;
            const now = interference;
            if (!now || now.on !== type) return toServer.send(message);
            interference = null;
            if ('reply' in now) ws.send(JSON.stringify(now.reply));
            else void ws.close(now.close);
          });
        },
      );
      page.on('pageerror', (error) => pageErrors.push(error));
      page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    },
  });
  ({ Ana: ana, Bea: bea } = call.pages);
}, 120_000);

afterAll(async () => {
  await call?.close();
});

const inCallOf = (page: Page, n: number) =>
  eventually(
    () => countLine(page),
    (line) => line === `${n} ${n === 1 ? 'participant' : 'participants'} online.`,
    `${n} in the call`,
  );

const screenWidthOnBea = () =>
  bea
    .locator('.participant.screen video')
    .evaluate((v: HTMLVideoElement) => v.videoWidth)
    .catch(() => 0);

/** Ana shares her screen, Bea sees it, Ana stops: publishing works on this connection. */
async function shareAndStop(): Promise<void> {
  await ana.getByRole('button', { name: 'Share screen' }).click();
  await eventually(screenWidthOnBea, (width) => width > 0, "Ana's screen on Bea's page");
  await ana.getByRole('button', { name: 'Stop sharing' }).click();
  await eventually(
    () => bea.locator('.participant.screen').count(),
    (n) => n === 0,
    'the screen tile to go',
  );
}

// Each reconnection below happens while Ana is alone in the room: when one page of a call rejoins
// with its participant SID, the server's offer to the others repeats that SID's msid lines and
// Chromium refuses it ("Duplicate a=msid lines detected"), a server bug being fixed on main.
describe('publishing and negotiation failures', () => {
  it(
    'an answer the server refuses is a failed negotiation: the page reconnects, and media flows',
    async () => {
      interference = {
        on: 'answer',
        reply: { type: 'error', code: 'NEGOTIATION_FAILED', message: 'The answer could not be applied', ref: 'answer' },
      };
      await join(ana, 'Ana');
      expect(await nextFailure(0)).toEqual([
        { event: 'reconnecting', code: 'NEGOTIATION_FAILED', cause: 'NEGOTIATION_FAILED' },
      ]);
      expect(interference).toBeNull();
      await inCallOf(ana, 1);
      await join(bea, 'Bea');
      await inCallOf(ana, 2);
      for (const page of [ana, bea])
        await eventually(
          async () => (await remoteTiles(page))[0]?.framesShown ?? 0,
          (n) => n > 5,
          'video from the other page',
        );
      expect(await failures()).toHaveLength(1);
      expect(pageErrors).toEqual([]);
    },
    DEADLINE_MS * 3,
  );

  it(
    'a screen share the server refuses rejects with PUBLISH_FAILED, says so, and the next one works',
    async () => {
      const seen = (await failures()).length;
      interference = {
        on: 'publish',
        reply: { type: 'error', code: 'RATE_LIMITED', message: 'At most 50 messages per second', ref: 'publish' },
      };
      await ana.getByRole('button', { name: 'Share screen' }).click();
      expect(await nextFailure(seen)).toEqual([
        { event: 'trackPublicationFailed', code: 'PUBLISH_FAILED', cause: 'RATE_LIMITED' },
      ]);
      await eventually(
        () => ana.locator('#notice').textContent(),
        (text) => text === 'Screen sharing failed: At most 50 messages per second',
        'the notice',
      );
      await ana.getByRole('button', { name: 'Share screen' }).waitFor();
      expect(warnings.some((w) => w.includes('screen share failed: PUBLISH_FAILED'))).toBe(true);
      expect(await countLine(ana)).toBe('2 participants online.');
      expect(await bea.locator('.participant.screen').count()).toBe(0);

      // A track that is not published: nothing happens, as in twilio-video.
      const unpublished = await ana.evaluate(() => {
        const canvas = document.createElement('canvas');
        canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
        return window.huddleRoom!.localParticipant.unpublishTrack(
          canvas.captureStream(5).getVideoTracks()[0]! as never,
        );
      });
      expect(unpublished).toBeNull();
      const frames = (await remoteTiles(bea))[0]!.framesShown;
      await eventually(
        async () => (await remoteTiles(bea))[0]!.framesShown,
        (n) => n > frames + 5,
        "Ana's camera still on Bea's page",
      );

      await shareAndStop();
      expect(await failures()).toHaveLength(seen + 1);
      expect(pageErrors).toEqual([]);
    },
    DEADLINE_MS * 3,
  );

  it(
    'a screen share cut off by a reconnection rejects with PUBLISH_FAILED; the page comes back and can share',
    async () => {
      await bea.getByRole('button', { name: 'Leave call' }).click();
      await inCallOf(ana, 1);
      const seen = (await failures()).length;
      interference = { on: 'publish', close: { code: 1012, reason: 'MEDIA_RESTARTING: The media server restarted' } };
      await ana.getByRole('button', { name: 'Share screen' }).click();
      expect(await nextFailure(seen)).toEqual([
        { event: 'reconnecting', code: 'MEDIA_RESTARTING', cause: null },
        { event: 'trackPublicationFailed', code: 'PUBLISH_FAILED', cause: 'MEDIA_RESTARTING' },
      ]);
      await inCallOf(ana, 1);
      await ana.getByRole('button', { name: 'Share screen' }).waitFor();
      // The share never got published: the page says so, and stops the capture.
      await eventually(
        () => ana.locator('#notice').textContent(),
        (text) => text === 'Screen sharing failed: The connection to the room was lost before the track was published',
        'the notice',
      );
      await join(bea, 'Bea');
      await shareAndStop();
      expect(pageErrors).toEqual([]);
    },
    DEADLINE_MS * 3,
  );
});
