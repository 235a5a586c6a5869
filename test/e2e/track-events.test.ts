/**
 * twilio-video's track and participant events, as its apps listen to them: a participant repeats
 * its tracks' events (trackStarted, trackDimensionsChanged, trackDisabled / trackEnabled,
 * trackStopped), the room repeats the remote ones; a local track's id, isStopped, restart()
 * without constraints, `stop().detach()`, detach(element); room.refreshInactiveMedia() playing
 * again an element the browser paused; video processors; connect().cancel(). Two pages with only
 * the SDK.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../harness/server';
import { sdkPagesForFile } from '../helpers/sdk-pages';

type Sdk = typeof import('../../src/sdk/index');
type Room = import('../../src/sdk/index').Room;
interface EventPage {
  Huddle: { Video: Sdk };
  room: Room;
  events: string[];
}

const call = sdkPagesForFile(2);
let server: RunningServer;
let ann: Page;
let bob: Page;
beforeAll(() => {
  server = call.server;
  [ann, bob] = call.pages as [Page, Page];
});

/** Joins with a 320×240 camera; records the local participant's and the room's track events as text. */
async function join(page: Page, identity: string): Promise<void> {
  const token = await server.token(identity, 'track-events');
  await page.evaluate(async (token) => {
    const w = window as unknown as EventPage;
    const Video = w.Huddle.Video;
    const camera = await Video.createLocalVideoTrack({ width: 320, height: 240, frameRate: 15, name: 'camera' });
    w.events = [];
    w.room = await Video.connect(token, { name: 'track-events', tracks: [camera], audio: false });
    const local = w.room.localParticipant;
    for (const event of ['trackDisabled', 'trackEnabled', 'trackStarted', 'trackStopped'] as const)
      local.on(event, (track) => w.events.push(`local ${event} ${track.name}`));
    w.room.on('trackStarted', (track, participant) =>
      w.events.push(`room trackStarted ${participant.identity} ${track.name}`),
    );
    w.room.on('trackDimensionsChanged', (track, participant) => {
      const { width, height } = (track as unknown as { dimensions: { width: number; height: number } }).dimensions;
      w.events.push(`room trackDimensionsChanged ${participant.identity} ${track.name} ${width}x${height}`);
    });
    w.room.on('trackSubscribed', (track) => {
      if (track.kind === 'video') document.getElementById('videos')!.appendChild(track.attach());
    });
  }, token);
}

const events = (page: Page) => page.evaluate(() => (window as unknown as EventPage).events);

describe("twilio-video's track events", () => {
  it('the room repeats a remote track starting and its size; the local participant its tracks being disabled and enabled', async () => {
    await join(ann, 'Ann');
    await join(bob, 'Bob');
    await expect
      .poll(() => events(bob), { timeout: 30_000 })
      .toEqual(
        expect.arrayContaining(['room trackStarted Ann camera', 'room trackDimensionsChanged Ann camera 320x240']),
      );

    await ann.evaluate(() => {
      const { room } = window as unknown as EventPage;
      const camera = [...room.localParticipant.videoTracks.values()][0]!.track;
      camera.disable();
      camera.enable();
    });
    expect(await events(ann)).toEqual(
      expect.arrayContaining(['local trackDisabled camera', 'local trackEnabled camera']),
    );
    expect(await ann.evaluate(() => (window as unknown as EventPage).room.isRecording)).toBe(false);
  }, 90_000);

  it("this page's own reconnection keeps remote tracks subscribed: no trackUnsubscribed, and the element it attached plays again", async () => {
    await bob.evaluate(() => {
      const w = window as unknown as EventPage & { subscriptions: string[] };
      w.subscriptions = [];
      w.room.on('trackSubscribed', (track) => w.subscriptions.push(`subscribed ${track.name}`));
      w.room.on('trackUnsubscribed', (track) => w.subscriptions.push(`unsubscribed ${track.name}`));
      w.room.on('reconnecting', () => w.subscriptions.push('reconnecting'));
      w.room.on('reconnected', () => w.subscriptions.push('reconnected'));
    });
    /** Bob's view of Ann's camera: how many elements, and whether its frames advance. */
    const view = () =>
      bob.evaluate(async () => {
        const videos = [...document.querySelectorAll<HTMLVideoElement>('#videos video')];
        const before = videos[0]?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 500));
        return {
          elements: videos.length,
          advancing: (videos[0]?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > before,
        };
      });
    await expect.poll(view, { timeout: 30_000 }).toEqual({ elements: 1, advancing: true });
    // The media worker dies: every page loses its media and rejoins.
    const worker = (await server.health()).workers[0]!;
    process.kill(worker.pid, 'SIGKILL');
    await expect
      .poll(() => bob.evaluate(() => (window as unknown as { subscriptions: string[] }).subscriptions), {
        timeout: 30_000,
      })
      .toEqual(['reconnecting', 'reconnected']);
    // Frames advance again in the one element it had (a second element would be a new subscription).
    await expect.poll(view, { timeout: 30_000 }).toEqual({ elements: 1, advancing: true });
    expect(await bob.evaluate(() => (window as unknown as { subscriptions: string[] }).subscriptions)).toEqual([
      'reconnecting',
      'reconnected',
    ]);
  }, 90_000);

  it('restart() without constraints captures again as before: a new id, trackStarted again, the others still see it', async () => {
    const { before, after } = await ann.evaluate(async () => {
      const w = window as unknown as EventPage;
      const camera = [...w.room.localParticipant.videoTracks.values()][0]!.track;
      const before = camera.id;
      w.events = [];
      await camera.restart();
      return { before, after: camera.id };
    });
    expect(after).not.toBe(before);
    expect(after).toBe(
      await ann.evaluate(
        () =>
          [...(window as unknown as EventPage).room.localParticipant.videoTracks.values()][0]!.track.mediaStreamTrack
            .id,
      ),
    );
    await expect.poll(() => events(ann), { timeout: 20_000 }).toContain('local trackStarted camera');
    // Same constraints as the first capture: the same size reaches Bob.
    const size = await ann.evaluate(() => {
      const settings = [
        ...(window as unknown as EventPage).room.localParticipant.videoTracks.values(),
      ][0]!.track.mediaStreamTrack.getSettings();
      return `${settings.width}x${settings.height}`;
    });
    expect(size).toBe('320x240');
    await expect
      .poll(
        () =>
          bob.$$eval(
            '#videos video',
            (videos) => videos.filter((v) => (v as HTMLVideoElement).videoWidth === 320).length,
          ),
        {
          timeout: 20_000,
        },
      )
      .toBe(1);
  }, 60_000);

  it('refreshInactiveMedia() plays again an element the browser paused; detach(element) returns it', async () => {
    const paused = await bob.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('#videos video')!;
      video.pause();
      return video.paused;
    });
    expect(paused).toBe(true);
    await bob.evaluate(() => (window as unknown as EventPage).room.refreshInactiveMedia());
    await expect
      .poll(() => bob.evaluate(() => document.querySelector<HTMLVideoElement>('#videos video')!.paused), {
        timeout: 10_000,
      })
      .toBe(false);

    const sameElement = await bob.evaluate(() => {
      const { room } = window as unknown as EventPage;
      const track = [...[...room.participants.values()][0]!.videoTracks.values()][0]!.track!;
      const element = track.attach();
      return track.detach(element) === element && element.srcObject === null;
    });
    expect(sameElement).toBe(true);
  }, 30_000);

  it('addProcessor(): every frame goes through the processor, and the others see what it drew until removeProcessor()', async () => {
    /** The colour at the top middle of Bob's view of Ann's camera. */
    const topColour = () =>
      bob.evaluate(() => {
        const video = document.querySelector<HTMLVideoElement>('#videos video')!;
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        const context = canvas.getContext('2d')!;
        context.drawImage(video, 0, 0);
        const [r, g, b] = context.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 8), 1, 1).data;
        return { r: r!, g: g!, b: b! };
      });
    const magenta = (c: { r: number; g: number; b: number }) => c.r > 200 && c.g < 60 && c.b > 200;
    expect(magenta(await topColour())).toBe(false);

    const added = await ann.evaluate(() => {
      const w = window as unknown as EventPage & { processor: unknown; processed: number };
      const camera = [...w.room.localParticipant.videoTracks.values()][0]!.track;
      w.processed = 0;
      // As the quickstart's filter example: draw the input, then paint over it (here the top half magenta).
      const processor = {
        processFrame(input: OffscreenCanvas, output: HTMLCanvasElement) {
          const context = output.getContext('2d')!;
          context.drawImage(input, 0, 0, output.width, output.height);
          context.fillStyle = 'rgb(255, 0, 255)';
          context.fillRect(0, 0, output.width, output.height / 2);
          w.processed++;
        },
      };
      w.processor = processor;
      camera.addProcessor(processor);
      return { same: camera.processor === processor, processed: camera.processedTrack?.kind };
    });
    expect(added).toEqual({ same: true, processed: 'video' });
    await expect.poll(async () => magenta(await topColour()), { timeout: 20_000 }).toBe(true);
    // Frame after frame, not once.
    await expect
      .poll(() => ann.evaluate(() => (window as unknown as { processed: number }).processed), { timeout: 10_000 })
      .toBeGreaterThan(30);

    await ann.evaluate(() => {
      const w = window as unknown as EventPage & {
        processor: Parameters<Room['localParticipant']['videoTracks']['get']>;
      };
      const camera = [...w.room.localParticipant.videoTracks.values()][0]!.track;
      camera.removeProcessor(w.processor as never);
    });
    await expect.poll(async () => magenta(await topColour()), { timeout: 20_000 }).toBe(false);
    expect(
      await ann.evaluate(
        () => [...(window as unknown as EventPage).room.localParticipant.videoTracks.values()][0]!.track.processedTrack,
      ),
    ).toBeNull();

    // twilio-video's first processor API, which the quickstart's filter example still uses: the
    // processor returns its own canvas instead of drawing into the output.
    await ann.evaluate(() => {
      const w = window as unknown as EventPage & { processor: unknown };
      const camera = [...w.room.localParticipant.videoTracks.values()][0]!.track;
      const own = new OffscreenCanvas(1, 1);
      const processor = {
        processFrame(input: OffscreenCanvas) {
          own.width = input.width;
          own.height = input.height;
          const context = own.getContext('2d')!;
          context.drawImage(input, 0, 0);
          context.fillStyle = 'rgb(255, 0, 255)';
          context.fillRect(0, 0, own.width, own.height / 2);
          return own;
        },
      };
      w.processor = processor;
      camera.addProcessor(processor as never);
    });
    await expect.poll(async () => magenta(await topColour()), { timeout: 20_000 }).toBe(true);
    await ann.evaluate(() => {
      const w = window as unknown as EventPage & { processor: unknown };
      [...w.room.localParticipant.videoTracks.values()][0]!.track.removeProcessor(w.processor as never);
    });
  }, 60_000);

  it('connect().cancel() rejects with Canceled and leaves no one behind: the same name joins right after', async () => {
    const token = await server.token('Cleo', 'track-events');
    const outcome = await bob.evaluate(async (token) => {
      const { Video } = (window as unknown as EventPage).Huddle;
      const joining = Video.connect(token, { name: 'track-events', audio: false, video: true });
      // Cancel once the camera is being captured, before the server's answer.
      await new Promise((resolve) => setTimeout(resolve, 0));
      joining.cancel();
      const cancelled = await joining.then(
        () => 'resolved',
        (error: Error) => error.message,
      );
      const again = await Video.connect(token, { name: 'track-events', audio: false, video: false });
      const sid = again.localParticipant.sid;
      again.disconnect();
      return { cancelled, joinedAgain: sid.startsWith('PA') };
    }, token);
    expect(outcome).toEqual({ cancelled: 'Canceled', joinedAgain: true });
  }, 30_000);

  it('joining again and again with the same tracks leaves no listener of an old room on them', async () => {
    const token = await server.token('Dora', 'track-events');
    const counts = await bob.evaluate(async (token) => {
      const { Video } = (window as unknown as EventPage).Huddle;
      const camera = await Video.createLocalVideoTrack({ width: 160, height: 120, name: 'dora-camera' });
      const events = ['started', 'stopped', 'enabled', 'disabled', 'dimensionsChanged', 'restarted'] as const;
      const listening = () => events.map((e) => camera.listenerCount(e)).join(',');
      const before = listening();
      const during: string[] = [];
      for (let i = 0; i < 12; i++) {
        const room = await Video.connect(token, { name: 'track-events', tracks: [camera], audio: false });
        during.push(listening());
        room.disconnect();
      }
      const after = listening();
      camera.stop();
      return { before, after, during: [...new Set(during)] };
    }, token);
    expect(counts.after).toBe(counts.before);
    // Every room listened the same amount: nothing piled up from the rooms before it.
    expect(counts.during).toHaveLength(1);
  }, 60_000);

  it('`stop().detach()` stops a track and frees its elements; the local participant repeats trackStopped', async () => {
    const result = await ann.evaluate(() => {
      const w = window as unknown as EventPage;
      const camera = [...w.room.localParticipant.videoTracks.values()][0]!.track;
      camera.attach();
      const detached = camera.stop().detach();
      return { detached: detached.length, stopped: camera.isStopped, ended: camera.mediaStreamTrack.readyState };
    });
    expect(result).toEqual({ detached: 1, stopped: true, ended: 'ended' });
    expect(await events(ann)).toContain('local trackStopped camera');
  }, 30_000);
});
