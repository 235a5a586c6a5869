/**
 * A page whose network goes away (Chromium's own offline mode, as DevTools sets it: its sockets
 * stay open and silent) notices within seconds from its own heartbeat, not only once the network
 * is back: the room is 'reconnecting' meanwhile and the others see it reconnecting; back online,
 * it resumes as the same participant and the video plays again in the element it had.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../harness/server';
import { sdkPagesForFile } from '../helpers/sdk-pages';

type Sdk = typeof import('../../src/sdk/index');
type Room = import('../../src/sdk/index').Room;
interface LossPage {
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

/** Joins `room`; without one (and with a token for no room), a room of its own, as twilio-video's connect() without a name. */
async function join(page: Page, identity: string, room?: string): Promise<string> {
  const token = await server.token(identity, room);
  return page.evaluate(
    async ({ token, room }) => {
      const w = window as unknown as LossPage;
      const Video = w.Huddle.Video;
      const camera = await Video.createLocalVideoTrack({ width: 320, height: 240, frameRate: 15 });
      w.events = [];
      w.room = await Video.connect(token, { ...(room ? { name: room } : {}), tracks: [camera], audio: false });
      for (const event of ['reconnecting', 'reconnected', 'disconnected'] as const)
        w.room.on(event, () => w.events.push(event));
      for (const event of ['participantReconnecting', 'participantReconnected', 'participantDisconnected'] as const)
        w.room.on(event, (p) => w.events.push(`${event} ${p.identity}`));
      w.room.on('trackSubscribed', (track) => {
        if (track.kind === 'video') document.getElementById('videos')!.appendChild(track.attach());
      });
      return w.room.name;
    },
    { token, room },
  );
}

const events = (page: Page) => page.evaluate(() => (window as unknown as LossPage).events);
/** How many remote videos the page shows, and whether the first one's frames advance. */
const view = (page: Page) =>
  page.evaluate(async () => {
    const videos = [...document.querySelectorAll<HTMLVideoElement>('#videos video')];
    const before = videos[0]?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return {
      elements: videos.length,
      advancing: (videos[0]?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > before,
    };
  });

describe('a page whose network goes away', () => {
  it('is reconnecting while offline, seen so by the others, and resumes as itself, in its room, once online', async () => {
    // As the quickstart's reconnection example: the first joins without a name (a room of its
    // own), the second by that room's name; the first then loses its network.
    const roomName = await join(ann, 'Ann');
    expect(roomName).toMatch(/^RM[0-9a-f]{32}$/);
    await join(bob, 'Bob', roomName);
    await expect.poll(async () => (await view(ann)).advancing, { timeout: 30_000 }).toBe(true);
    const sid = await ann.evaluate(() => (window as unknown as LossPage).room.localParticipant.sid);

    const cdp = await ann.context().newCDPSession(ann);
    await cdp.send('Network.enable');
    const offline = (on: boolean) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: on,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
    const offlineAt = Date.now();
    await offline(true);
    // Its own heartbeat tells it, while the network is still away (9 s of silence, checked every 3 s).
    await expect.poll(() => events(ann), { timeout: 20_000 }).toContain('reconnecting');
    console.log(`offline page knew it was reconnecting after ${Date.now() - offlineAt} ms`);
    expect(await ann.evaluate(() => (window as unknown as LossPage).room.state)).toBe('reconnecting');
    // The server's heartbeat tells the others.
    await expect.poll(() => events(bob), { timeout: 20_000 }).toContain('participantReconnecting Ann');

    const onlineAt = Date.now();
    await offline(false);
    await expect.poll(() => events(ann), { timeout: 30_000 }).toEqual(['reconnecting', 'reconnected']);
    await expect
      .poll(() => events(bob), { timeout: 30_000 })
      .toEqual(['participantReconnecting Ann', 'participantReconnected Ann']);
    await expect.poll(async () => (await view(ann)).advancing, { timeout: 30_000 }).toBe(true);
    console.log(`back online: Ann saw Bob's video again after ${Date.now() - onlineAt} ms`);
    expect(await view(ann)).toEqual({ elements: 1, advancing: true });
    await expect.poll(async () => (await view(bob)).advancing, { timeout: 30_000 }).toBe(true);
    expect((await view(bob)).elements).toBe(1);
    // The same participant in the same room.
    const after = await ann.evaluate(() => {
      const { room } = window as unknown as LossPage;
      return { sid: room.localParticipant.sid, room: room.name };
    });
    expect(after).toEqual({ sid, room: roomName });
  }, 120_000);
});
