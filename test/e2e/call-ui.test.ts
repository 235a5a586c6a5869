/**
 * The call page as a person sees and uses it, in Chromium at 1280×720, 1920×1080 and 390×844:
 * for 1 to 9 people the tiles cover at least 70 % of the stage (the window less the toolbar),
 * overlap nowhere and stay inside it, and a phone never scrolls sideways; a join or a leave never
 * re-attaches the others' videos (the same elements go on playing); grid pages hide the tiles of
 * other pages and the SDK switches their videos off; every control has a name and is reached by
 * Tab; the panels open and close (drawers on a phone) with an unread badge; toasts say who came
 * and went and that the invite link was copied; the shortcuts work;
 * pin, speaker view and a screen share make a stage with a filmstrip; Chrome's picture-in-picture
 * action floats a remote video. One real page ("Viewer");
 * everyone else is a canvas camera from one more page (harness/canvas-people.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { countLine, DEADLINE_MS, eventually, join, openChat, tileOf } from '../../harness/call-page';
import { type CanvasCrowd, type CanvasPerson, canvasCrowd } from '../../harness/canvas-people';
import { type RunningServer, startServer } from '../../harness/server';

const ROOM = 'call-ui';
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
] as const;
const DESKTOP = SIZES[0];
const PHONE = SIZES[2];
const COLOURS = ['#2e7d6b', '#5c6bc0', '#c2185b', '#ef6c00', '#00838f', '#6d4c41', '#7b1fa2', '#558b2f', '#455a64'];
const PEOPLE: CanvasPerson[] = ['Bea', 'Cal', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kit'].map((name, i) => ({
  name,
  colour: COLOURS[i % COLOURS.length]!,
}));

let server: RunningServer;
let browser: Browser;
let viewer: Page;
let crowd: CanvasCrowd;
const inCall: string[] = [];

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1' });
  browser = await launchChromium();
  // Reduced motion: tiles jump to their places instead of sliding, so a look is never mid-move.
  const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // What Chrome keeps of the page's Media Session actions, so the test can raise them as Chrome would.
  await context.addInitScript(() => {
    const w = window as unknown as { mediaActions: Record<string, (() => void) | null> };
    w.mediaActions = {};
    const set = navigator.mediaSession.setActionHandler.bind(navigator.mediaSession);
    navigator.mediaSession.setActionHandler = (action, handler) => {
      w.mediaActions[action] = handler as (() => void) | null;
      set(action, handler);
    };
  });
  viewer = await context.newPage();
  await viewer.goto(`${server.url}/room/${ROOM}`);
  await join(viewer, 'Viewer');
  crowd = await canvasCrowd(browser, server, ROOM);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function arrive(person: CanvasPerson) {
  await crowd.join(person);
  inCall.push(person.name);
}
async function depart(name: string) {
  await crowd.leave(name);
  inCall.splice(inCall.indexOf(name), 1);
}

/** Until every remote tile on screen shows video and the count is right. */
async function everyoneShown() {
  await eventually(
    () =>
      viewer.$$eval('.participant.remote', (tiles) => ({
        tiles: tiles.length,
        waiting: tiles.filter(
          (t) =>
            !(t as HTMLElement).hidden && !((t.querySelector('video') as HTMLVideoElement | null)?.videoWidth ?? 0),
        ).length,
      })),
    (seen) => seen.tiles === inCall.length && seen.waiting === 0,
    `${inCall.length} remote tiles with video`,
  );
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface StageLook {
  width: number;
  /** The top of the toolbar: the stage is the window above it. */
  stageBottom: number;
  scrollWidth: number;
  tiles: Array<{ name: string; place: string; box: Box; hasVideo: boolean }>;
}

const look = (page: Page): Promise<StageLook> =>
  page.evaluate(() => {
    const box = (element: Element) => {
      const r = element.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return {
      width: window.innerWidth,
      stageBottom: document.querySelector('.toolbar')!.getBoundingClientRect().top,
      scrollWidth: document.documentElement.scrollWidth,
      tiles: [...document.querySelectorAll<HTMLElement>('.participant')]
        .filter((tile) => !tile.hidden)
        .map((tile) => ({
          name: tile.querySelector('.name')?.textContent ?? '',
          place: tile.dataset.place ?? '',
          box: box(tile),
          hasVideo: !!tile.querySelector('video'),
        })),
    };
  });

/** The page's layout once it stopped changing (a resize re-lays it out on the next frame). */
async function settledLook(page: Page): Promise<StageLook> {
  let before = await look(page);
  for (;;) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const now = await look(page);
    if (JSON.stringify(now) === JSON.stringify(before)) return now;
    before = now;
  }
}

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

function expectFilledStage(seen: StageLook, people: number, what: string) {
  expect(seen.tiles.length, what).toBe(people);
  expect(seen.tiles.map((t) => t.name).sort(), what).toEqual(['Me', ...inCall].sort());
  const stageArea = seen.width * seen.stageBottom;
  const grid = seen.tiles.filter((t) => t.place === 'grid');
  const covered = grid.reduce((sum, t) => sum + t.box.width * t.box.height, 0);
  expect(covered / stageArea, `${what}: share of the stage covered`).toBeGreaterThanOrEqual(0.7);
  for (const [i, a] of grid.entries())
    for (const b of grid.slice(i + 1))
      expect(overlap(a.box, b.box), `${what}: ${a.name} over ${b.name}`).toBeLessThan(1);
  for (const tile of seen.tiles) {
    expect(tile.box.x, `${what}: ${tile.name}`).toBeGreaterThanOrEqual(-0.5);
    expect(tile.box.y, `${what}: ${tile.name}`).toBeGreaterThanOrEqual(-0.5);
    expect(tile.box.x + tile.box.width, `${what}: ${tile.name}`).toBeLessThanOrEqual(seen.width + 0.5);
    expect(tile.box.y + tile.box.height, `${what}: ${tile.name}`).toBeLessThanOrEqual(seen.stageBottom + 0.5);
  }
  expect(seen.scrollWidth, `${what}: sideways scrolling`).toBeLessThanOrEqual(seen.width);
}

/** Marks every remote video element now on the page, with how many frames it has shown. */
const tagVideos = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { tagged: Map<string, { video: HTMLVideoElement; frames: number }> };
    w.tagged = new Map();
    for (const tile of document.querySelectorAll('.participant.remote')) {
      const video = tile.querySelector('video');
      const name = tile.querySelector('.name')?.textContent;
      if (video && name) w.tagged.set(name, { video, frames: video.getVideoPlaybackQuality().totalVideoFrames });
    }
    return [...w.tagged.keys()];
  });

/** For each tagged video still in the call: is it the one in that person's tile, and has it shown new frames? */
const taggedVideos = (page: Page, names: string[]) =>
  page.evaluate((names) => {
    const w = window as unknown as { tagged: Map<string, { video: HTMLVideoElement; frames: number }> };
    return names.map((name) => {
      const { video, frames } = w.tagged.get(name)!;
      const tile = [...document.querySelectorAll('.participant.remote')].find(
        (t) => t.querySelector('.name')?.textContent === name,
      );
      return {
        name,
        same: !!tile && tile.querySelector('video') === video && video.isConnected,
        playing: !video.paused && video.getVideoPlaybackQuality().totalVideoFrames > frames,
      };
    });
  }, names);

async function expectSameVideosPlaying(names: string[], what: string) {
  const seen = await eventually(
    () => taggedVideos(viewer, names),
    (all) => all.every((v) => !v.same || v.playing),
    `the others' videos to go on playing after ${what}`,
  );
  for (const video of seen)
    expect(video, `${video.name}'s video after ${what}`).toEqual({ name: video.name, same: true, playing: true });
}

/** A toast with this text shows. */
const toast = (text: string) =>
  viewer
    .locator('.toasts .toast', { hasText: new RegExp(`^${text}$`) })
    .first()
    .waitFor({ timeout: DEADLINE_MS });

describe('the stage', () => {
  it(
    'for 1 to 9 people, at 1280×720, 1920×1080 and 390×844, fills the stage without overlap or overflow; a join or a leave re-attaches no other video',
    async () => {
      for (let people = 1; people <= 9; people++) {
        if (people > 1) {
          const before = await tagVideos(viewer);
          await arrive(PEOPLE[people - 2]!);
          await everyoneShown();
          await expectSameVideosPlaying(before, `${PEOPLE[people - 2]!.name} joined`);
          await toast(`${PEOPLE[people - 2]!.name} joined`);
        }
        for (const size of SIZES) {
          await viewer.setViewportSize(size);
          expectFilledStage(await settledLook(viewer), people, `${people} people at ${size.width}×${size.height}`);
        }
        await viewer.setViewportSize(DESKTOP);
      }
      expect(await countLine(viewer)).toBe('9 participants online.');
      for (const name of ['Cal', 'Hal']) {
        const before = (await tagVideos(viewer)).filter((n) => n !== name);
        await depart(name);
        await everyoneShown();
        await expectSameVideosPlaying(before, `${name} left`);
        await toast(`${name} left`);
      }
      expectFilledStage(await settledLook(viewer), 7, '7 people after two left');
    },
    DEADLINE_MS * 8,
  );

  it(
    'pages the grid past nine others: the tiles of another page are off screen and their videos switched off until shown',
    async () => {
      for (const person of PEOPLE.slice(8)) await arrive(person);
      for (const name of ['Cal', 'Hal']) await arrive(PEOPLE.find((p) => p.name === name)!);
      await everyoneShown();
      expect(inCall.length).toBe(10);
      await viewer.getByText('Page 1 of 2').waitFor();
      const switchedOff = () =>
        viewer.evaluate(() =>
          [...window.huddleRoom!.participants.values()]
            .filter((p) => [...p.videoTracks.values()].some((v) => v.track?.isSwitchedOff))
            .map((p) => p.identity),
        );
      const last = inCall[9]!;
      expect(await tileOf(viewer, last).isHidden()).toBe(true);
      await eventually(switchedOff, (names) => names.join() === last, `only ${last}'s video switched off`);
      await viewer.getByRole('button', { name: 'Next page' }).click();
      await tileOf(viewer, last).waitFor();
      expect(await tileOf(viewer, inCall[0]!).isHidden()).toBe(true);
      await eventually(
        switchedOff,
        (names) => names.length === 9 && !names.includes(last),
        'the first page switched off, the second on',
      );
      await viewer.getByRole('button', { name: 'Previous page' }).click();
      for (const name of inCall.slice(8)) await depart(name);
      await everyoneShown();
    },
    DEADLINE_MS * 4,
  );

  it(
    'pins a tile to the stage and shows one full screen; speaker view and a screen share make a stage with a filmstrip',
    async () => {
      const places = () =>
        viewer.$$eval('.participant:not([hidden])', (tiles) =>
          Object.fromEntries(
            tiles.map((t) => [t.querySelector('.name')?.textContent, (t as HTMLElement).dataset.place]),
          ),
        );
      await viewer.getByRole('button', { name: 'Pin Dee' }).click();
      await eventually(places, (p) => p.Dee === 'featured' && p.Me === 'strip', 'Dee on the stage');
      await viewer.getByRole('button', { name: 'Unpin Dee' }).click();
      await eventually(places, (p) => p.Dee === 'grid', 'the grid again');
      await viewer.getByRole('button', { name: 'Show Dee full screen' }).click();
      const fullScreen = () =>
        viewer.evaluate(() => {
          const tile = document.fullscreenElement;
          const box = tile?.getBoundingClientRect();
          return tile
            ? { name: tile.querySelector('.name')?.textContent, width: box!.width, height: box!.height }
            : null;
        });
      const screen = await viewer.evaluate(() => ({ width: window.screen.width, height: window.screen.height }));
      await eventually(fullScreen, (seen) => seen?.name === 'Dee', "Dee's tile full screen");
      expect(await fullScreen()).toEqual({ name: 'Dee', ...screen });
      await viewer.getByRole('button', { name: 'Exit full screen' }).click();
      await eventually(fullScreen, (seen) => seen === null, 'full screen left');
      await viewer.getByRole('button', { name: 'Speaker view' }).click();
      await eventually(
        places,
        (p) => Object.values(p).filter((place) => place === 'featured').length === 1,
        'one person on the stage',
      );
      await viewer.getByRole('button', { name: 'Grid view' }).click();
      await crowd.share('Eli', 'Slides', ['one', 'two']);
      await eventually(places, (p) => p["Eli's screen"] === 'featured' && p.Eli === 'strip', "Eli's screen on stage");
      await crowd.stopSharing('Eli');
      await eventually(places, (p) => !("Eli's screen" in p) && p.Eli === 'grid', 'the grid after the share');
    },
    DEADLINE_MS * 3,
  );
});

describe('the controls', () => {
  it(
    'every control has a name and is reached by Tab, at each size (on a phone, after More options)',
    async () => {
      for (const size of SIZES) {
        await viewer.setViewportSize(size);
        if (size === PHONE) await viewer.getByRole('button', { name: 'More options' }).click();
        await settledLook(viewer);
        const controls = await viewer.$$eval('button, input, select, [tabindex="0"]', (elements) =>
          elements
            .filter((el) => el.checkVisibility() && !(el as HTMLButtonElement).disabled)
            .map((el, i) => {
              el.setAttribute('data-control', String(i));
              const named =
                el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent;
              const box = el.getBoundingClientRect();
              return {
                id: String(i),
                name: (named ?? '').trim(),
                html: el.outerHTML.slice(0, 80),
                size: Math.min(box.width, box.height),
              };
            }),
        );
        expect(controls.length).toBeGreaterThan(10);
        for (const control of controls) expect(control.name, control.html).not.toBe('');
        // Touch targets of at least 44 px on a phone.
        if (size === PHONE)
          for (const control of controls) expect(control.size, `${control.name} on a phone`).toBeGreaterThanOrEqual(44);
        await viewer.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        const reached = new Set<string>();
        for (let i = 0; i < controls.length + 3; i++) {
          await viewer.keyboard.press('Tab');
          reached.add(await viewer.evaluate(() => document.activeElement?.getAttribute('data-control') ?? ''));
        }
        for (const control of controls)
          expect(reached.has(control.id), `${control.name} reached by Tab at ${size.width}×${size.height}`).toBe(true);
        if (size === PHONE) await viewer.getByRole('button', { name: 'More options' }).click();
      }
      await viewer.setViewportSize(DESKTOP);
    },
    DEADLINE_MS * 2,
  );

  it(
    'the chat and participants panels open and close, chat with an unread badge; on a phone they are full-height drawers; the invite link is copied',
    async () => {
      await crowd.say('Bea', 'Hello from Bea');
      await viewer.getByRole('button', { name: 'Chat (1 unread)' }).waitFor({ timeout: DEADLINE_MS });
      await openChat(viewer);
      const chat = viewer.getByRole('complementary', { name: 'Chat' });
      expect(await chat.locator('.chat-message .text').allTextContents()).toEqual(['Hello from Bea']);
      expect(await viewer.getByLabel('Message').evaluate((input) => input === document.activeElement)).toBe(true);
      await viewer.getByRole('button', { name: 'Chat', exact: true }).waitFor();
      await viewer.keyboard.press('Escape');
      await chat.waitFor({ state: 'detached' });

      await viewer.getByRole('button', { name: 'Participants', exact: true }).click();
      const people = viewer.getByRole('complementary', { name: 'Participants' });
      expect(await people.locator('.people-count').textContent()).toBe(`${inCall.length + 1} participants online.`);
      expect((await people.locator('.person-name').allTextContents()).sort()).toEqual(
        ['Viewer (you)', ...inCall].sort(),
      );
      await viewer.getByRole('button', { name: 'Close participants' }).click();
      await people.waitFor({ state: 'detached' });

      await viewer.getByRole('button', { name: 'Copy invite link' }).click();
      await toast('Invite link copied');
      expect(await viewer.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/room/${ROOM}`);

      await viewer.setViewportSize(PHONE);
      await openChat(viewer);
      const drawer = await chat.boundingBox();
      expect(drawer).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
      await viewer.getByRole('button', { name: 'Close chat' }).click();
      await chat.waitFor({ state: 'detached' });
      await viewer.setViewportSize(DESKTOP);
    },
    DEADLINE_MS * 2,
  );

  it('offers picture-in-picture of a remote video when Chrome raises enterpictureinpicture, with mute and camera in it, and leaves it when the tab is back', async () => {
    const actions = await viewer.evaluate(() =>
      Object.entries((window as unknown as { mediaActions: Record<string, unknown> }).mediaActions)
        .filter(([, handler]) => handler)
        .map(([action]) => action)
        .sort(),
    );
    expect(actions).toEqual(['enterpictureinpicture', 'hangup', 'togglecamera', 'togglemicrophone']);
    // Chrome raises the action as the tab is hidden, with the right to open the window: here a click gives that right.
    await viewer.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'raise-pip';
      button.style.cssText = 'position:fixed;top:0;left:0;z-index:99';
      button.textContent = 'raise';
      button.onclick = () =>
        (window as unknown as { mediaActions: Record<string, () => void> }).mediaActions.enterpictureinpicture!();
      document.body.append(button);
    });
    await viewer.click('#raise-pip');
    await eventually(
      () =>
        viewer.evaluate(
          () =>
            document.pictureInPictureElement?.closest('.participant.remote')?.querySelector('.name')?.textContent ??
            null,
        ),
      (name) => name !== null && inCall.includes(name),
      'a remote video in picture-in-picture',
    );
    await viewer.evaluate(() =>
      (window as unknown as { mediaActions: Record<string, () => void> }).mediaActions.togglemicrophone!(),
    );
    await viewer.getByRole('button', { name: 'Unmute microphone' }).waitFor();
    await viewer.evaluate(() =>
      (window as unknown as { mediaActions: Record<string, () => void> }).mediaActions.togglemicrophone!(),
    );
    await viewer.getByRole('button', { name: 'Mute microphone' }).waitFor();
    await viewer.evaluate(() => {
      document.getElementById('raise-pip')!.remove();
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await eventually(
      () => viewer.evaluate(() => !!document.pictureInPictureElement),
      (inPip) => !inPip,
      'picture-in-picture closed',
    );
  });

  it('is dark by default and light when the system asks; a banner shows while the call reconnects', async () => {
    const background = () =>
      viewer.evaluate(() => getComputedStyle(document.querySelector('.call-screen')!).backgroundColor);
    await viewer.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(32, 33, 36)');
    await viewer.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(241, 243, 244)');
    await viewer.emulateMedia({ colorScheme: null });
    // What the SDK raises when its connection drops and when it is back (the recovery tests make it happen for real).
    await viewer.evaluate(() => window.huddleRoom!.emit('reconnecting', new Error('lost') as never));
    await viewer.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    expect(await countLine(viewer)).toBe('Reconnecting…');
    await viewer.evaluate(() => window.huddleRoom!.emit('reconnected'));
    await viewer.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached' });
    expect(await countLine(viewer)).toBe(`${inCall.length + 1} participants online.`);
  });

  it('Ctrl+D and Ctrl+E mute and turn off the camera, Ctrl+Alt+C opens the chat, ? lists the shortcuts', async () => {
    const published = () =>
      viewer.evaluate(() => {
        const local = window.huddleRoom!.localParticipant;
        return {
          audio: [...local.audioTracks.values()][0]!.track.isEnabled,
          video: [...local.videoTracks.values()][0]!.track.isEnabled,
        };
      });
    await viewer.keyboard.press('Control+d');
    await viewer.getByRole('button', { name: 'Unmute microphone' }).waitFor();
    expect(await published()).toEqual({ audio: false, video: true });
    await viewer.keyboard.press('Control+e');
    await viewer.getByRole('button', { name: 'Turn camera on' }).waitFor();
    expect(await published()).toEqual({ audio: false, video: false });
    await viewer.keyboard.press('Control+d');
    await viewer.keyboard.press('Control+e');
    await viewer.getByRole('button', { name: 'Turn camera off' }).waitFor();
    expect(await published()).toEqual({ audio: true, video: true });

    await viewer.keyboard.press('Control+Alt+c');
    await viewer.getByRole('complementary', { name: 'Chat' }).waitFor();
    await viewer.keyboard.press('Escape');
    await viewer.getByRole('complementary', { name: 'Chat' }).waitFor({ state: 'detached' });

    await viewer.keyboard.press('?');
    const help = viewer.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Mute or unmute the microphone');
    expect(await help.locator('kbd').allTextContents()).toEqual(expect.arrayContaining(['Ctrl', 'D', 'E']));
    await viewer.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });
});
