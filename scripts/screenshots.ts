/**
 * Every state of the call page, as pictures in docs/: the pre-join room (and with a blocked
 * camera), a call of 1, 2, 4 and 9 people, a shared screen, the chat, the light theme and a phone. One real Chromium page is "Ana"
 * (a camera file of a person at a desk); everyone else joins from one more page through the SDK
 * with a canvas camera (harness/canvas-people.ts).
 * Run: npm run build && flock /tmp/huddle-heavy.lock npx tsx scripts/screenshots.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { DEADLINE_MS, eventually, join } from '../harness/call-page';
import { type CanvasPerson, canvasCrowd } from '../harness/canvas-people';
import { writeSilenceWav } from '../harness/fake-audio';
import { writePortraitY4m } from '../harness/fake-camera';
import { startServer } from '../harness/server';

const ROOM = 'Team stand-up';
const PEOPLE: CanvasPerson[] = [
  { name: 'Bea', colour: '#2e7d6b', speaking: true },
  { name: 'Cal', colour: '#5c6bc0', muted: true },
  { name: 'Dee', colour: '#c2185b' },
  { name: 'Eli', colour: '#ef6c00', muted: true },
  { name: 'Fay', colour: '#00838f', cameraOff: true },
  { name: 'Gus', colour: '#6d4c41' },
  { name: 'Hal', colour: '#7b1fa2', muted: true },
  { name: 'Ivy', colour: '#558b2f' },
];

const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-shots-'));
const server = await startServer({ HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn' });
const browser = await launchChromium({ videoFile: writePortraitY4m(dir), audioFile: writeSilenceWav(dir) });

/** Remote tiles in the call, and those on screen whose video plays (or whose camera is off, shown as such). */
const tiles = (page: Page) =>
  page.$$eval('.participant.remote', (all) => ({
    all: all.length,
    waiting: all.filter(
      (t) =>
        !(t as HTMLElement).hidden &&
        !t.classList.contains('video-off') &&
        !((t.querySelector('video')?.videoWidth ?? 0) > 0),
    ).length,
  }));

async function settle(page: Page, remotes: number) {
  await eventually(
    () => tiles(page),
    (n) => n.all === remotes && n.waiting === 0,
    `${remotes} remote tiles showing`,
  );
  // No hover over a tile, no toast over the call.
  await page.mouse.move(2, page.viewportSize()!.height - 2);
  await page.locator('.toast').first().waitFor({ state: 'detached', timeout: DEADLINE_MS });
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `docs/${name}.png`, animations: 'disabled' });
  console.log(`wrote docs/${name}.png`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const ana = await context.newPage();
  await ana.goto(`${server.url}/room/${encodeURIComponent(ROOM)}`);
  await ana.locator('#username').fill('Ana');
  await ana.waitForFunction(() => (document.querySelector('.preview video') as HTMLVideoElement | null)?.currentTime);
  await ana.mouse.move(2, 2);
  await shot(ana, 'prejoin');

  // A blocked camera, said plainly with how to fix it; joining with the microphone stays possible.
  const blocked = await context.newPage();
  await blocked.addInitScript(() => {
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints) =>
      constraints?.video
        ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
        : original(constraints);
  });
  await blocked.goto(`${server.url}/room/${encodeURIComponent(ROOM)}`);
  await blocked.locator('#notice').waitFor();
  await shot(blocked, 'prejoin-blocked');
  await blocked.close();

  await join(ana, 'Ana');
  await settle(ana, 0);
  await shot(ana, 'call-1');

  const crowd = await canvasCrowd(browser, server, ROOM);
  await crowd.join(PEOPLE[0]!);
  await settle(ana, 1);
  await shot(ana, 'call-2');

  for (const person of PEOPLE.slice(1, 3)) await crowd.join(person);
  await settle(ana, 3);
  await ana.locator('.participant.remote.speaking').waitFor({ timeout: DEADLINE_MS });
  await shot(ana, 'call');
  await ana.emulateMedia({ colorScheme: 'light' });
  await shot(ana, 'call-light');
  await ana.emulateMedia({ colorScheme: 'dark' });

  for (const person of PEOPLE.slice(3)) await crowd.join(person);
  await settle(ana, 8);
  await shot(ana, 'call-9');

  await crowd.say('Bea', 'Morning! The agenda is in the doc.');
  await crowd.say('Cal', 'I have to leave at 10:30, can we start with the release?');
  await ana.getByRole('button', { name: /^Chat/ }).click();
  await ana.getByLabel('Message').fill('Sure, release first.');
  await ana.getByRole('button', { name: 'Send' }).click();
  await ana.locator('.chat-message').nth(2).waitFor();
  await ana.getByLabel('Message').fill('<b>Tags</b> stay text');
  await ana.mouse.move(2, ana.viewportSize()!.height - 2);
  await shot(ana, 'chat');
  await ana.getByLabel('Message').fill('');
  await ana.getByRole('button', { name: 'Close chat' }).click();

  await crowd.share('Cal', 'Release 0.2: where we are', [
    'Call page redesign: in review',
    'Firefox support: tests pass',
    'Layers and bandwidth profile: shipped',
    'Next: recordings?',
  ]);
  await ana.locator('.participant.screen video').waitFor({ timeout: DEADLINE_MS });
  // Sharp: the stage asks for the top layer, which comes once the link estimate has grown to it.
  await eventually(
    () => ana.$eval('.participant.screen video', (v: HTMLVideoElement) => v.videoWidth),
    (w) => w >= 960,
    "Cal's screen decoded at full size",
    90_000,
  );
  await settle(ana, 8);
  await shot(ana, 'screen-share');
  await crowd.stopSharing('Cal');

  for (const person of PEOPLE.slice(3)) await crowd.leave(person.name);
  await ana.getByRole('button', { name: 'Leave call' }).click();
  await ana.close();

  const phone = await (
    await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    })
  ).newPage();
  await phone.goto(`${server.url}/room/${encodeURIComponent(ROOM)}`);
  await phone.locator('#username').fill('Ana');
  await phone.waitForFunction(() => (document.querySelector('.preview video') as HTMLVideoElement | null)?.currentTime);
  await shot(phone, 'phone-prejoin');
  await join(phone, 'Ana');
  await settle(phone, 3);
  await shot(phone, 'phone');
  await phone.getByRole('button', { name: /^Chat/ }).click();
  await shot(phone, 'phone-chat');
  await crowd.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(server.dataDir, { recursive: true, force: true });
}
