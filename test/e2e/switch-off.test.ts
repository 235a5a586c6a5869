/**
 * Videos in simulcast layers, and twilio-video's bandwidth profile over them, as its apps use
 * it: a viewer switches a video off and on (switchOff/switchOn, 'manual'), says the size it shows
 * it at (setContentPreferences) and gets the layer that fits, and with 'auto' a video nobody can
 * see (its tile hidden) is switched off by the SDK on its own. Judged by what the viewer's
 * browser decodes: frame sizes and frames counted by its own stats.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../harness/server';
import { sdkPagesForFile } from '../helpers/sdk-pages';

type Sdk = typeof import('../../src/sdk/index');
type Room = import('../../src/sdk/index').Room;
type RemoteTrack = import('../../src/sdk/index').RemoteTrack;
interface SwitchPage {
  Huddle: { Video: Sdk };
  room: Room;
  events: string[];
  remote: RemoteTrack | undefined;
  element: HTMLVideoElement | undefined;
}

const call = sdkPagesForFile(3);
let server: RunningServer;
let pub: Page;
let manual: Page;
let auto: Page;
beforeAll(() => {
  server = call.server;
  [pub, manual, auto] = call.pages as [Page, Page, Page];
});

/** Joins; a viewer attaches the first remote video to a 320×240 element and records its switch events. */
async function join(page: Page, identity: string, options: Record<string, unknown>, camera: boolean): Promise<void> {
  const token = await server.token(identity, 'switch-off');
  await page.evaluate(
    async ({ token, options, camera }) => {
      const w = window as unknown as SwitchPage;
      const Video = w.Huddle.Video;
      const tracks = camera ? [await Video.createLocalVideoTrack({ width: 640, height: 480, frameRate: 24 })] : [];
      w.events = [];
      w.room = await Video.connect(token, { name: 'switch-off', tracks, ...options });
      w.room.on('trackSwitchedOff', (track, _publication, participant) =>
        w.events.push(`off ${participant.identity} ${(track as RemoteTrack).switchOffReason}`),
      );
      w.room.on('trackSwitchedOn', (_track, _publication, participant) => w.events.push(`on ${participant.identity}`));
      const show = (track: RemoteTrack) => {
        if (track.kind !== 'video' || w.remote) return;
        w.remote = track;
        w.element = track.attach() as HTMLVideoElement;
        w.element.style.width = '320px';
        w.element.style.height = '240px';
        document.getElementById('videos')!.appendChild(w.element);
      };
      w.room.on('trackSubscribed', (track) => show(track as RemoteTrack));
    },
    { token, options, camera },
  );
}

/** The viewer's decoded frames and frame height, by its browser's own stats. */
const received = (page: Page) =>
  page.evaluate(async () => {
    const [report] = await (window as unknown as SwitchPage).room.getStats();
    const video = report!.remoteVideoTrackStats[0];
    return { frames: video?.framesDecoded ?? 0, height: video?.dimensions?.height ?? 0 };
  });

/** Frames the viewer decodes over about two seconds. */
async function framesOverTwoSeconds(page: Page): Promise<number> {
  const before = (await received(page)).frames;
  await page.waitForTimeout(2000);
  return (await received(page)).frames - before;
}

const events = (page: Page) => page.evaluate(() => (window as unknown as SwitchPage).events);

describe('videos in layers, and the bandwidth profile over them', () => {
  it('a viewer gets the layer its tile needs, and the top one for a big tile', async () => {
    await join(pub, 'Pub', {}, true);
    const manualProfile = {
      bandwidthProfile: { video: { clientTrackSwitchOffControl: 'manual', contentPreferencesMode: 'manual' } },
    };
    await join(manual, 'Manual', manualProfile, false);
    // No size said: the link decides, and loopback takes the top layer.
    await expect.poll(async () => (await received(manual)).height, { timeout: 30_000 }).toBe(480);
    await manual.evaluate(() =>
      (window as unknown as SwitchPage).remote!.setContentPreferences({
        renderDimensions: { width: 160, height: 120 },
      }),
    );
    await expect.poll(async () => (await received(manual)).height, { timeout: 20_000 }).toBe(240);
    await manual.evaluate(() =>
      (window as unknown as SwitchPage).remote!.setContentPreferences({
        renderDimensions: { width: 640, height: 480 },
      }),
    );
    await expect.poll(async () => (await received(manual)).height, { timeout: 20_000 }).toBe(480);
  }, 90_000);

  it('switchOff() stops the video reaching the viewer (with its reason) and switchOn() brings it back', async () => {
    await manual.evaluate(() => (window as unknown as SwitchPage).remote!.switchOff());
    await expect.poll(() => events(manual), { timeout: 10_000 }).toContain('off Pub disabled-by-subscriber');
    expect(await manual.evaluate(() => (window as unknown as SwitchPage).remote!.isSwitchedOff)).toBe(true);
    // Frames still in flight are decoded; after that nothing comes.
    await manual.waitForTimeout(1000);
    expect(await framesOverTwoSeconds(manual)).toBe(0);
    await manual.evaluate(() => (window as unknown as SwitchPage).remote!.switchOn());
    await expect.poll(() => events(manual), { timeout: 10_000 }).toContain('on Pub');
    await expect.poll(() => framesOverTwoSeconds(manual), { timeout: 20_000 }).toBeGreaterThan(20);
  }, 60_000);

  it("with 'auto', a video whose tile is hidden is switched off by the SDK, and on again when shown; the app may not switch it", async () => {
    await join(auto, 'Auto', { bandwidthProfile: { video: { mode: 'collaboration' } } }, false);
    await expect.poll(() => framesOverTwoSeconds(auto), { timeout: 30_000 }).toBeGreaterThan(20);
    const refused = await auto.evaluate(() => {
      try {
        (window as unknown as SwitchPage).remote!.switchOff();
        return 'allowed';
      } catch (error) {
        return String(error);
      }
    });
    expect(refused).toContain("clientTrackSwitchOffControl 'manual'");
    await auto.evaluate(() => {
      (window as unknown as SwitchPage).element!.style.display = 'none';
    });
    await expect.poll(() => events(auto), { timeout: 10_000 }).toContain('off Pub disabled-by-subscriber');
    await auto.waitForTimeout(1000);
    expect(await framesOverTwoSeconds(auto)).toBe(0);
    await auto.evaluate(() => {
      (window as unknown as SwitchPage).element!.style.display = '';
    });
    await expect.poll(() => events(auto), { timeout: 10_000 }).toContain('on Pub');
    await expect.poll(() => framesOverTwoSeconds(auto), { timeout: 20_000 }).toBeGreaterThan(20);
  }, 90_000);

  it("with 'auto', a tile resized gets the layer its new size needs, and a video in picture-in-picture stays on while the tab is hidden", async () => {
    const resize = (width: number, height: number) =>
      auto.evaluate(
        ({ width, height }) => {
          const { element } = window as unknown as SwitchPage;
          element!.style.width = `${width}px`;
          element!.style.height = `${height}px`;
        },
        { width, height },
      );
    await resize(640, 480);
    await expect.poll(async () => (await received(auto)).height, { timeout: 20_000 }).toBe(480);
    await resize(160, 120);
    await expect.poll(async () => (await received(auto)).height, { timeout: 20_000 }).toBe(240);
    await resize(320, 240);

    // The floating window opens on a person's gesture (Chrome's Media Session action gives one as the tab hides).
    await auto.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'pip';
      button.textContent = 'pip';
      button.onclick = () => void (window as unknown as SwitchPage).element!.requestPictureInPicture();
      document.body.prepend(button);
    });
    await auto.click('#pip');
    await expect.poll(() => auto.evaluate(() => !!document.pictureInPictureElement), { timeout: 10_000 }).toBe(true);
    /** The tab hidden (or shown again), as the page sees it. */
    const setHidden = (hidden: boolean) =>
      auto.evaluate((hidden) => {
        Object.defineProperty(document, 'visibilityState', {
          configurable: true,
          get: () => (hidden ? 'hidden' : 'visible'),
        });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    const offs = async () => (await events(auto)).filter((e) => e.startsWith('off')).length;
    const offsBefore = await offs();
    await setHidden(true);
    await auto.waitForTimeout(1000);
    expect(await framesOverTwoSeconds(auto), 'the floating video plays on').toBeGreaterThan(20);
    expect(await offs()).toBe(offsBefore);
    // The window closed while the tab is hidden: nothing shows the video, and it is switched off.
    await auto.evaluate(() => document.exitPictureInPicture());
    await expect.poll(offs, { timeout: 10_000 }).toBe(offsBefore + 1);
    await setHidden(false);
    await expect.poll(() => framesOverTwoSeconds(auto), { timeout: 20_000 }).toBeGreaterThan(20);
    await auto.evaluate(() => document.getElementById('pip')!.remove());
  }, 90_000);

  it("with 'manual', nothing is switched off but by the app: a hidden tile still receives", async () => {
    await manual.evaluate(() => {
      (window as unknown as SwitchPage).element!.style.display = 'none';
    });
    await manual.waitForTimeout(1500);
    expect(await framesOverTwoSeconds(manual)).toBeGreaterThan(20);
  }, 30_000);

  it('a video nobody receives is not encoded any more, and is again as soon as someone switches it on', async () => {
    /** Bytes the publisher's video sent over a second, all its layers together. */
    const sentOverASecond = () =>
      pub.evaluate(async () => {
        const { room } = window as unknown as SwitchPage;
        const sent = async () => {
          const [report] = await room.getStats();
          return report!.localVideoTrackStats.reduce((n, s) => n + (s.bytesSent ?? 0), 0);
        };
        const before = await sent();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return (await sent()) - before;
      });
    expect(await sentOverASecond()).toBeGreaterThan(10_000);
    await manual.evaluate(() => (window as unknown as SwitchPage).remote!.switchOff());
    await auto.evaluate(() => {
      (window as unknown as SwitchPage).element!.style.display = 'none';
    });
    await expect.poll(sentOverASecond, { timeout: 30_000 }).toBe(0);
    await manual.evaluate(() => (window as unknown as SwitchPage).remote!.switchOn());
    await expect.poll(sentOverASecond, { timeout: 20_000 }).toBeGreaterThan(10_000);
    await expect.poll(() => framesOverTwoSeconds(manual), { timeout: 20_000 }).toBeGreaterThan(20);
  }, 90_000);

  it('a layer nobody receives is not encoded (dynacast), and is again once a viewer needs it', async () => {
    // Only Manual watches now (Auto's tile is hidden), and it receives the top layer.
    /** What each of the publisher's layers sent over a second (bytes), by SSRC, with its frame height. */
    const layersOverASecond = () =>
      pub.evaluate(async () => {
        const { room } = window as unknown as SwitchPage;
        const read = async () => (await room.getStats())[0]!.localVideoTrackStats;
        const before = await read();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return (await read()).map((s) => ({
          ssrc: s.ssrc,
          height: s.dimensions?.height ?? 0,
          bytes: (s.bytesSent ?? 0) - (before.find((b) => b.ssrc === s.ssrc)?.bytesSent ?? 0),
        }));
      });
    const sending = async () => (await layersOverASecond()).filter((l) => l.bytes > 1000);
    // Both layers are encoded: the top one for Manual, the low one always while anyone watches.
    await expect.poll(async () => (await sending()).length, { timeout: 20_000 }).toBe(2);
    const top = (await layersOverASecond()).reduce((a, b) => (b.height > a.height ? b : a));
    expect(top.height).toBe(480);
    await manual.evaluate(() =>
      (window as unknown as SwitchPage).remote!.setContentPreferences({
        renderDimensions: { width: 160, height: 120 },
      }),
    );
    // A small tile: the viewer gets the low layer; fifteen seconds later, with nobody on the top
    // layer, the publisher stops encoding that one.
    await expect.poll(async () => (await received(manual)).height, { timeout: 20_000 }).toBe(240);
    await expect
      .poll(async () => (await sending()).map((l) => l.ssrc), { timeout: 40_000 })
      .toSatisfy((ssrcs: string[]) => ssrcs.length === 1 && ssrcs[0] !== top.ssrc);
    expect(await framesOverTwoSeconds(manual)).toBeGreaterThan(20);
    // A big tile again: the top layer is encoded again, and the viewer gets it.
    await manual.evaluate(() =>
      (window as unknown as SwitchPage).remote!.setContentPreferences({
        renderDimensions: { width: 640, height: 480 },
      }),
    );
    await expect.poll(async () => (await received(manual)).height, { timeout: 20_000 }).toBe(480);
    expect((await sending()).map((l) => l.ssrc)).toContain(top.ssrc);
  }, 90_000);
});
