/**
 * A real call's features, in Chromium with fake devices, as the people in it see them: who is
 * speaking, chat, screen share, mute and camera off. Ana's microphone plays synthesized speech;
 * Bea's and Cal's play silence. Ana joins last, so the one speaking is not the first in the room.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import {
  audioPacketsFrom,
  DEADLINE_MS,
  eventually,
  join,
  openChat,
  packetsFrom,
  remoteTiles,
  sendChat,
  tileOf,
} from '../../harness/call-page';
import { expectLiveVideoInRightTiles } from '../helpers/expect-video';
import { holdSender, packetsSent, recordPeerConnections, sendAnyway, stopCopy } from '../helpers/stubborn-sender';

let call: Call<'Ana' | 'Bea' | 'Cal'>;
let ana: Page, bea: Page, cal: Page;

beforeAll(async () => {
  call = await startCall({
    server: { HUDDLE_WORKERS: '1' },
    room: 'features',
    people: [
      { name: 'Bea', colour: 'green', audio: 'silence' },
      { name: 'Cal', colour: 'blue', audio: 'silence' },
      { name: 'Ana', colour: 'red', audio: 'speech' },
    ],
    initScript: recordPeerConnections,
  });
  ({ Ana: ana, Bea: bea, Cal: cal } = call.pages);
  await expectLiveVideoInRightTiles(bea, ['Ana', 'Cal'], call.colourOf);
}, 120_000);

afterAll(() => call?.close());

const framesOf = async (page: Page, name: string) =>
  (await remoteTiles(page)).find((t) => t.name === name)?.framesShown ?? -1;

/**
 * Waits while `page` receives this many more audio packets from `from` (silence still flows, at
 * about 5 a second with Opus DTX): a window measured by the call itself, long enough for anything
 * wrongly forwarded to show, with no fixed sleep.
 */
async function whileReceiving(page: Page, from: string, packets: number) {
  const start = await audioPacketsFrom(page, from);
  await eventually(
    () => audioPacketsFrom(page, from),
    (n) => n >= start + packets,
    `${packets} audio packets from ${from}`,
  );
}

describe('features of a call', () => {
  it(
    "highlights the person speaking on everyone else's page, not the first to join",
    async () => {
      for (const page of [bea, cal]) {
        await eventually(
          () => page.locator('.participant.remote.speaking .name').allTextContents(),
          (names) => names.join() === 'Ana',
          'Ana highlighted as speaking',
        );
      }
      // Bea joined first and her microphone plays silence: nobody may see her highlighted.
      for (const page of [ana, cal]) expect(await tileOf(page, 'Bea').getAttribute('class')).not.toContain('speaking');
      expect(await tileOf(ana, 'Cal').getAttribute('class')).not.toContain('speaking');
    },
    DEADLINE_MS * 2,
  );

  it(
    'shows chat messages exactly as typed, to everyone, and to someone who joins later',
    async () => {
      const typed = '<b>not bold</b> & "quoted" <img src=x onerror=alert(1)>';
      await sendChat(ana, typed);
      for (const page of [ana, bea, cal]) {
        await openChat(page);
        await eventually(
          () => page.locator('.chat-message .text').allTextContents(),
          (texts) => texts.includes(typed),
          'the message in the chat',
        );
        const message = page.locator('.chat-message').last();
        expect(await message.locator('.sender').textContent()).toBe('Ana');
        expect(await message.locator('.text b, .text img').count()).toBe(0);
      }
      const late = await call.newPage('Bea');
      await join(late, 'Dee');
      await openChat(late);
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
    'muting the microphone shows a marker to the others; its audio is neither sent nor, if sent anyway, forwarded',
    async () => {
      await holdSender(ana, 'audio');
      await ana.getByRole('button', { name: 'Mute microphone' }).click();
      for (const page of [bea, cal])
        await tileOf(page, 'Ana').locator('.muted-marker').waitFor({ timeout: DEADLINE_MS });
      await whileReceiving(ana, 'Bea', 10); // packets already in flight drain
      // The SDK's side: nothing is sent.
      const sent = await packetsSent(ana, 'audio');
      const before = await audioPacketsFrom(bea, 'Ana');
      await whileReceiving(ana, 'Bea', 20);
      expect(await packetsSent(ana, 'audio')).toBe(sent);
      expect(await audioPacketsFrom(bea, 'Ana')).toBe(before);
      // The server's side: a client that sends anyway, having said 'disabled', reaches nobody.
      await sendAnyway(ana, 'audio');
      await eventually(
        () => packetsSent(ana, 'audio'),
        (n) => n > sent + 50,
        'Ana sending while muted',
      );
      const stubborn = await packetsSent(ana, 'audio');
      const [beaHeard, calHeard] = [await audioPacketsFrom(bea, 'Ana'), await audioPacketsFrom(cal, 'Ana')];
      await eventually(
        () => packetsSent(ana, 'audio'),
        (n) => n >= stubborn + 100,
        '100 more packets sent while muted',
      );
      expect(await audioPacketsFrom(bea, 'Ana'), 'packets forwarded to Bea while muted').toBe(beaHeard);
      expect(await audioPacketsFrom(cal, 'Ana'), 'packets forwarded to Cal while muted').toBe(calHeard);

      await ana.getByRole('button', { name: 'Unmute microphone' }).click();
      await stopCopy(ana, 'audio');
      for (const page of [bea, cal])
        await eventually(
          () => tileOf(page, 'Ana').locator('.muted-marker').count(),
          (n) => n === 0,
          'the marker to go',
        );
      await eventually(
        () => audioPacketsFrom(bea, 'Ana'),
        (n) => n > beaHeard + 20,
        'audio packets again',
      );
    },
    DEADLINE_MS * 4,
  );

  it(
    "turning the camera off stops its frames on the others' pages, even from a client that sends anyway; on brings them back",
    async () => {
      await holdSender(ana, 'video');
      await ana.getByRole('button', { name: 'Turn camera off' }).click();
      await tileOf(bea, 'Ana').locator('.camera-off').waitFor({ timeout: DEADLINE_MS });
      await whileReceiving(ana, 'Bea', 10);
      const sent = await packetsSent(ana, 'video');
      const frames = await framesOf(bea, 'Ana');
      await whileReceiving(ana, 'Bea', 20);
      expect(await packetsSent(ana, 'video')).toBe(sent);
      expect(await framesOf(bea, 'Ana')).toBe(frames);
      // Camera frames sent anyway, the server having been told 'disabled', reach nobody.
      await sendAnyway(ana, 'video');
      await eventually(
        () => packetsSent(ana, 'video'),
        (n) => n > sent + 30,
        'Ana sending video while her camera is off',
      );
      const stubborn = await packetsSent(ana, 'video');
      const received = await packetsFrom(bea, 'Ana', 'video');
      await eventually(
        () => packetsSent(ana, 'video'),
        (n) => n >= stubborn + 60,
        '60 more video packets sent with the camera off',
      );
      expect(await packetsFrom(bea, 'Ana', 'video'), 'video packets forwarded to Bea with the camera off').toBe(
        received,
      );
      expect(await framesOf(bea, 'Ana')).toBe(frames);

      await ana.getByRole('button', { name: 'Turn camera on' }).click();
      await stopCopy(ana, 'video');
      await eventually(
        () => framesOf(bea, 'Ana'),
        (n) => n > frames + 5,
        "Ana's frames again",
      );
      expect(await tileOf(bea, 'Ana').locator('.camera-off').count()).toBe(0);
    },
    DEADLINE_MS * 4,
  );
});
