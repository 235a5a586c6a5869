/**
 * Publishing as Twilio's reference app does: the camera turned off by unpublishing it (and its
 * capture stopped) and on again as a new track with a new name, a second video of any name
 * beside it (a plain MediaStreamTrack, named by the options), errors with twilio-video's numeric
 * codes, and everything published kept across a reconnection. Two pages with only the SDK.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../harness/server';
import { sdkPagesForFile } from '../helpers/sdk-pages';

type Sdk = typeof import('../../src/sdk/index');
type Room = import('../../src/sdk/index').Room;

const call = sdkPagesForFile(2);
let server: RunningServer;
let ann: Page;
let bob: Page;
beforeAll(() => {
  server = call.server;
  [ann, bob] = call.pages as [Page, Page];
});

/** Joins; every remote video is shown in #videos, labelled with its track name, and taken away when unsubscribed. */
async function join(page: Page, identity: string): Promise<void> {
  const token = await server.token(identity, 'tracks');
  await page.evaluate(async (token) => {
    const w = window as unknown as { Huddle: { Video: Sdk }; room: Room };
    const Video = w.Huddle.Video;
    const camera = await Video.createLocalVideoTrack({ width: 320, height: 240, frameRate: 15, name: 'camera-1' });
    w.room = await Video.connect(token, { name: 'tracks', tracks: [camera], audio: false });
    w.room.on('trackSubscribed', (track) => {
      if (track.kind !== 'video') return;
      const element = track.attach();
      element.dataset.name = track.name;
      element.style.width = '160px';
      document.getElementById('videos')!.appendChild(element);
    });
    w.room.on('trackUnsubscribed', (track) => {
      if (track.kind === 'data') return;
      for (const element of track.detach()) element.remove();
    });
  }, token);
}

/** The names of the remote videos the page shows that have decoded a frame, sorted. */
const shownVideos = (page: Page) =>
  page.$$eval('#videos video', (videos) =>
    videos
      .filter((v) => (v as HTMLVideoElement).videoWidth > 0)
      .map((v) => (v as HTMLVideoElement).dataset.name ?? '?')
      .sort(),
  );

describe('publishing any track', () => {
  it('turns the camera off by unpublishing it and on as a new track; a second video of any name goes beside it', async () => {
    await join(ann, 'Ann');
    await join(bob, 'Bob');
    await expect.poll(() => shownVideos(bob), { timeout: 30_000 }).toEqual(['camera-1']);

    // Off: unpublish and stop the capture (the camera's light goes out), as the reference app does.
    const off = await ann.evaluate(() => {
      const { room } = window as unknown as { room: Room };
      const publication = [...room.localParticipant.videoTracks.values()][0]!;
      room.localParticipant.unpublishTrack(publication.track);
      publication.track.stop();
      return room.localParticipant.videoTracks.size;
    });
    expect(off).toBe(0);
    await expect.poll(() => shownVideos(bob), { timeout: 20_000 }).toEqual([]);
    expect(await bob.evaluate(() => (window as unknown as { room: Room }).room.participants.size)).toBe(1);

    // On: a new capture under a new name, and a canvas as a plain MediaStreamTrack named by the options.
    const on = await ann.evaluate(async () => {
      const w = window as unknown as { Huddle: { Video: Sdk }; room: Room };
      const camera = await w.Huddle.Video.createLocalVideoTrack({ width: 320, height: 240, name: 'camera-2' });
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 180;
      const context = canvas.getContext('2d')!;
      setInterval(() => {
        context.fillStyle = `hsl(${(Date.now() / 10) % 360} 80% 50%)`;
        context.fillRect(0, 0, 320, 180);
      }, 50);
      const board = canvas.captureStream(15).getVideoTracks()[0]!;
      const [first, second] = await Promise.all([
        w.room.localParticipant.publishTrack(camera),
        w.room.localParticipant.publishTrack(board, { name: 'whiteboard' }),
      ]);
      const duplicate = await w.room.localParticipant
        .publishTrack(await w.Huddle.Video.createLocalVideoTrack({ name: 'whiteboard' }))
        .then(
          () => null,
          (error: { code: number; name: string }) => `${error.name} ${error.code}`,
        );
      return { names: [first.trackName, second.trackName], duplicate };
    });
    expect(on).toEqual({ names: ['camera-2', 'whiteboard'], duplicate: 'TrackNameIsDuplicatedError 53304' });
    await expect.poll(() => shownVideos(bob), { timeout: 30_000 }).toEqual(['camera-2', 'whiteboard']);
    const remoteNames = await bob.evaluate(() => {
      const { room } = window as unknown as { room: Room };
      return [...[...room.participants.values()][0]!.videoTracks.values()].map((p) => p.trackName).sort();
    });
    expect(remoteNames).toEqual(['camera-2', 'whiteboard']);
  }, 120_000);

  it("tracks say when media starts and at what size: the remote side follows a restart's new capture", async () => {
    const remote = () =>
      bob.evaluate(() => {
        const { room } = window as unknown as { room: Room };
        const publication = [...[...room.participants.values()][0]!.videoTracks.values()].find(
          (p) => p.trackName === 'camera-2',
        )!;
        const track = publication.track!;
        const w = window as unknown as { sizes?: string[] };
        if (!w.sizes) {
          w.sizes = [];
          track.on('dimensionsChanged', (t) => w.sizes!.push(`${t.dimensions.width}x${t.dimensions.height}`));
        }
        return { started: track.isStarted, size: `${track.dimensions.width}x${track.dimensions.height}` };
      });
    await expect.poll(remote, { timeout: 20_000 }).toEqual({ started: true, size: '320x240' });
    const restarted = await ann.evaluate(async () => {
      const { room } = window as unknown as { room: Room };
      const track = [...room.localParticipant.videoTracks.values()].find((p) => p.trackName === 'camera-2')!.track;
      const before = track.mediaStreamTrack;
      const started = new Promise<boolean>((resolve) => track.once('started', (t) => resolve(t === track)));
      // Smaller: a camera open at one size serves a second capture only at that size or below.
      await track.restart({ width: 160, height: 120 });
      return { startedAgain: await started, newCapture: track.mediaStreamTrack !== before, size: track.dimensions };
    });
    expect(restarted).toEqual({ startedAgain: true, newCapture: true, size: { width: 160, height: 120 } });
    await expect.poll(remote, { timeout: 20_000 }).toEqual({ started: true, size: '160x120' });
    expect(await bob.evaluate(() => (window as unknown as { sizes: string[] }).sizes)).toContain('160x120');
  }, 60_000);

  it("a publisher's priority for its track reaches everyone, as the reference app sets it", async () => {
    await bob.evaluate(() => {
      const w = window as unknown as { room: Room; priorityEvents: string[] };
      w.priorityEvents = [];
      w.room.on('trackPublishPriorityChanged', (priority, publication) =>
        w.priorityEvents.push(`${publication.trackName} ${priority}`),
      );
    });
    await ann.evaluate(() => {
      const { room } = window as unknown as { room: Room };
      for (const publication of room.localParticipant.videoTracks.values())
        if (publication.trackName === 'camera-2') publication.setPriority('low');
    });
    await expect
      .poll(() => bob.evaluate(() => (window as unknown as { priorityEvents: string[] }).priorityEvents))
      .toEqual(['camera-2 low']);
  });

  it("getStats() reports in twilio-video's shape; setParameters() caps what a video sends, and lifts the cap", async () => {
    const shape = await bob.evaluate(async () => {
      const [report] = await (window as unknown as { room: Room }).room.getStats();
      const video = report!.remoteVideoTrackStats[0]!;
      return {
        id: typeof report!.peerConnectionId,
        codec: video.codec,
        ssrc: /^\d+$/.test(video.ssrc),
        timestamp: video.timestamp > 1e12,
        size: video.dimensions !== null,
      };
    });
    expect(shape).toEqual({ id: 'string', codec: 'VP8', ssrc: true, timestamp: true, size: true });
    /** camera-2's send rate, kbit/s, over a window of at least 3 s of the browser's own stats. */
    const rate = () =>
      ann.evaluate(async () => {
        const { room } = window as unknown as { room: Room };
        const sample = async () => {
          const [report] = await room.getStats();
          const sid = [...room.localParticipant.videoTracks.values()].find((p) => p.trackName === 'camera-2')!.trackSid;
          return report!.localVideoTrackStats.find((s) => s.trackSid === sid)!;
        };
        const first = await sample();
        let last = first;
        while (last.timestamp - first.timestamp < 3000) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          last = await sample();
        }
        return ((last.bytesSent! - first.bytesSent!) * 8) / (last.timestamp - first.timestamp);
      });
    await ann.evaluate(() =>
      (window as unknown as { room: Room }).room.localParticipant.setParameters({ maxVideoBitrate: 30_000 }),
    );
    await expect.poll(rate, { timeout: 30_000, interval: 0 }).toBeLessThan(40);
    await ann.evaluate(() =>
      (window as unknown as { room: Room }).room.localParticipant.setParameters({ maxVideoBitrate: null }),
    );
    await expect.poll(rate, { timeout: 30_000, interval: 0 }).toBeGreaterThan(60);
  }, 90_000);

  it('keeps everything published across a reconnection, under the same track SIDs', async () => {
    const before = await ann.evaluate(() =>
      [...(window as unknown as { room: Room }).room.localParticipant.tracks.keys()].sort(),
    );
    expect(before).toHaveLength(2);
    // The media worker dies and is restarted: everyone in the room reconnects.
    const worker = (await server.health()).workers.find((w) => w.participants > 0)!;
    process.kill(worker.pid, 'SIGKILL');
    await expect
      .poll(() => ann.evaluate(() => (window as unknown as { room: Room }).room.state), { timeout: 10_000 })
      .toBe('reconnecting');
    await expect
      .poll(() => ann.evaluate(() => (window as unknown as { room: Room }).room.state), { timeout: 30_000 })
      .toBe('connected');
    await expect.poll(() => shownVideos(bob), { timeout: 40_000 }).toEqual(['camera-2', 'whiteboard']);
    const after = await ann.evaluate(() =>
      [...(window as unknown as { room: Room }).room.localParticipant.tracks.keys()].sort(),
    );
    expect(after).toEqual(before);
    const priorities = await bob.evaluate(() => {
      const { room } = window as unknown as { room: Room };
      return [...[...room.participants.values()][0]!.videoTracks.values()].map(
        (p) => `${p.trackName} ${p.publishPriority}`,
      );
    });
    expect(priorities.sort()).toEqual(['camera-2 low', 'whiteboard standard']);
  }, 120_000);
});
