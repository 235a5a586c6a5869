/**
 * twilio-video's API as Twilio's own apps use it, driven from a page that only loads Huddle's SDK:
 * the objects are Node EventEmitters (setMaxListeners, emit, listenerCount), the ES module has a
 * default export, Video.Logger is loglevel and the SDK's own warnings go through it, and a
 * LocalTrackPublication is an emitter whose unpublish() unpublishes its track.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { openSdkPage } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';

let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleLines: string[] = [];

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1' });
  browser = await launchChromium();
  page = await openSdkPage(browser, server.url);
  page.on('console', (message) => consoleLines.push(message.text()));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Sdk = typeof import('../../src/sdk/index');

describe("twilio-video's API shape", () => {
  it('the ES module has a default export with connect, Logger and the classes', async () => {
    // A string, so that the test runner does not rewrite the page's own dynamic import.
    const shape = await page.evaluate(`import('/sdk/huddle-video.mjs').then((module) => ({
      defaultConnect: typeof module.default.connect,
      namedConnect: typeof module.connect,
      same: module.default.connect === module.connect,
      logger: typeof module.default.Logger.getLogger,
      version: module.default.version,
    }))`);
    expect(shape).toEqual({
      defaultConnect: 'function',
      namedConnect: 'function',
      same: true,
      logger: 'function',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('connect() resolves with the local tracks published', async () => {
    const token = await server.token('Pre', 'published');
    const published = await page.evaluate(async (token) => {
      const Video = (window as unknown as { Huddle: { Video: Sdk } }).Huddle.Video;
      const tracks = await Video.createLocalTracks({ audio: true, video: true });
      const room = await Video.connect(token, { name: 'published', tracks });
      const { localParticipant } = room;
      const seen = {
        tracks: localParticipant.tracks.size,
        audio: localParticipant.audioTracks.size,
        video: localParticipant.videoTracks.size,
        sameTrack: [...localParticipant.videoTracks.values()][0]?.track === tracks.find((t) => t.kind === 'video'),
        afterUnpublish: [...localParticipant.videoTracks.values()][0]!.unpublish() && localParticipant.tracks.size,
      };
      room.disconnect();
      for (const track of tracks) track.stop();
      return seen;
    }, token);
    expect(published).toEqual({ tracks: 2, audio: 1, video: 1, sameTrack: true, afterUnpublish: 1 });
  }, 60_000);

  it('rooms, participants and publications are EventEmitters; the SDK logs through Video.Logger', async () => {
    const token = await server.token('Ann', 'api');
    const result = await page.evaluate(async (token) => {
      const Video = (window as unknown as { Huddle: { Video: Sdk } }).Huddle.Video;
      const room = await Video.connect(token, { name: 'api', audio: false, video: false });
      // What the reference app does first thing after connect().
      room.setMaxListeners(16);
      let emitted = 0;
      room.on('custom' as never, (() => emitted++) as never);
      (room.emit as (event: string) => boolean)('custom');
      const participant = room.localParticipant;
      participant.on('trackPublished', () => {});
      const canvas = document.createElement('canvas');
      canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
      const screen = new Video.LocalVideoTrack(canvas.captureStream(5).getVideoTracks()[0]!, { name: 'screen' });
      const publication = await participant.publishTrack(screen);
      let warnings = 0;
      publication.on('warning', () => warnings++);
      const published = participant.tracks.size;
      publication.unpublish();
      const unpublished = participant.tracks.size;

      (window as unknown as { apiRoom: unknown }).apiRoom = room;
      return {
        emitted,
        listeners: participant.listenerCount('trackPublished'),
        published,
        unpublished,
        warnings,
      };
    }, token);
    expect(result).toEqual({ emitted: 1, listeners: 1, published: 1, unpublished: 0, warnings: 0 });

    // The SDK's warnings (here: the server refusing a chat message of control characters) reach the
    // console at the default level, and none while the app has silenced the logger.
    const reports = () => consoleLines.filter((line) => line.includes('server reported')).length;
    const chat = (text: string, level: string) =>
      page.evaluate(
        ({ text, level }) => {
          const w = window as unknown as { Huddle: { Video: Sdk }; apiRoom: { sendChatMessage(t: string): void } };
          w.Huddle.Video.Logger.getLogger('twilio-video').setLevel(level as 'warn');
          w.apiRoom.sendChatMessage(text);
        },
        { text, level },
      );
    await chat('\u0001', 'warn');
    await expect.poll(reports, { timeout: 10_000 }).toBe(1);
    // Silenced: the refusal of the second comes back before the echo of a chat message sent after
    // it (the server answers in order), and only then is the logger turned up again.
    await page.evaluate(async () => {
      const w = window as unknown as {
        Huddle: { Video: Sdk };
        apiRoom: { sendChatMessage(t: string): void; once(e: 'chatMessage', l: () => void): void };
      };
      const logger = w.Huddle.Video.Logger.getLogger('twilio-video');
      logger.setLevel('silent');
      const echoed = new Promise<void>((resolve) => w.apiRoom.once('chatMessage', () => resolve()));
      w.apiRoom.sendChatMessage('\u0002');
      w.apiRoom.sendChatMessage('after the refused one');
      await echoed;
      logger.setLevel('warn');
    });
    await chat('\u0003', 'warn');
    await expect.poll(reports, { timeout: 10_000 }).toBe(2);
    await page.evaluate(() => (window as unknown as { apiRoom: { disconnect(): void } }).apiRoom.disconnect());
  }, 60_000);
});
