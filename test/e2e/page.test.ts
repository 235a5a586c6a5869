/**
 * The page's own behaviour around a call, in Chromium: the seed's messages, and the SDK script
 * that lets a page written for twilio-video run on Huddle.
 */

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { countLine, DEADLINE_MS, eventually, join, remoteTiles } from '../../harness/call-page';
import { type RunningServer, startServer } from '../../harness/server';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the page', () => {
  it('asks for a name and sends nothing when it is empty', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('websocket', (ws) => requests.push(ws.url()));
    await page.goto(server.url);
    requests.length = 0;
    await page.getByRole('button', { name: 'Join call' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toBe('Enter your name before connecting');
    await page.locator('#username').fill('   ');
    await page.getByRole('button', { name: 'Join call' }).click();
    expect(requests.filter((url) => url.includes('/login') || url.includes('/signal'))).toEqual([]);
    expect(await countLine(page)).toBe('Disconnected.');
    await page.close();
  });

  it('says the connection failed and gives the button back when the backend cannot be reached', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.route('**/login', (route) => route.abort('connectionrefused'));
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.locator('#username').fill('Alice');
    await page.getByRole('button', { name: 'Join call' }).click();
    await expect
      .poll(() => page.locator('#notice').textContent(), { timeout: DEADLINE_MS })
      .toBe('Connection failed. Is the backend running?');
    expect(await page.locator('#backend').textContent()).toBe("Calls run on this server's own media server.");
    expect(await page.getByRole('button', { name: 'Join call' }).isEnabled()).toBe(true);
    expect(await countLine(page)).toBe('Disconnected.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows why a name is refused', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    // The input caps typing at 128; a pasted-in longer value still reaches the server's check.
    await page.locator('#username').evaluate((input: HTMLInputElement) => input.removeAttribute('maxlength'));
    await page.locator('#username').fill('x'.repeat(129));
    await page.getByRole('button', { name: 'Join call' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toBe('username must be at most 128 characters');
    await page.close();
  });

  it(
    'runs a twilio-video style page on the /sdk/huddle-video.js script, alongside the Huddle page',
    async () => {
      const token = await server.token('Script user', 'sdk-room');

      const huddlePage = await browser.newPage();
      await huddlePage.goto(`${server.url}/room/sdk-room`);
      await join(huddlePage, 'Page user');

      // A bare page of the server's origin that loads only the script, as a twilio-video page would.
      const scriptPage = await browser.newPage();
      await scriptPage.goto(`${server.url}/sdk/huddle-video.js`);
      await scriptPage.setContent('<div id="remote"></div>');
      await scriptPage.addScriptTag({ url: '/sdk/huddle-video.js' });
      const globals = await scriptPage.evaluate(() => ({
        same: window.Twilio?.Video === window.Huddle?.Video,
        connect: typeof (window.Twilio?.Video as { connect?: unknown })?.connect,
      }));
      expect(globals).toEqual({ same: true, connect: 'function' });
      const seen = await scriptPage.evaluate(async (accessToken) => {
        const Video = window.Twilio!.Video as typeof import('../../src/sdk/index');
        const room = await Video.connect(accessToken, { name: 'sdk-room' });
        const identities = [...room.participants.values()].map((p) => p.identity);
        room.participants.forEach((participant) => {
          participant.on('trackSubscribed', (track) => {
            if (track.kind !== 'data') document.getElementById('remote')!.appendChild(track.attach());
          });
        });
        return { identities, local: room.localParticipant.identity, room: room.name };
      }, token);
      expect(seen).toEqual({ identities: ['Page user'], local: 'Script user', room: 'sdk-room' });

      await eventually(
        () => countLine(huddlePage),
        (line) => line === '2 participants online.',
        'the script user to be counted',
      );
      await eventually(
        () => remoteTiles(huddlePage),
        (tiles) => tiles.length === 1 && tiles[0]!.name === 'Script user' && tiles[0]!.videoWidth > 0,
        "the script user's video on the Huddle page",
      );
      await eventually(
        () => scriptPage.$eval('#remote video', (v: HTMLVideoElement) => v.videoWidth).catch(() => 0),
        (width) => width > 0,
        "the page user's video on the script page",
      );
      await huddlePage.close();
      await scriptPage.close();
    },
    DEADLINE_MS * 3,
  );
});
