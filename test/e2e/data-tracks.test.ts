/**
 * Data tracks as twilio-video's data-track example uses them, in Chromium: a LocalDataTrack
 * joined with and one published later (unordered, no retransmissions), text and binary messages
 * through the SFU's SCTP data channels to someone who joined before and someone who joins after,
 * reliability as the publisher set it, unpublishing. The pages hold only the SDK.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { openSdkPage } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';

type Sdk = typeof import('../../src/sdk/index');
type Room = import('../../src/sdk/index').Room;
type LocalDataTrack = import('../../src/sdk/index').LocalDataTrack;
interface DataPage {
  Huddle: { Video: Sdk };
  room: Room;
  /** What arrived on remote data tracks, as "<track name>: <text>" or "<track name>: <n> bytes". */
  received: string[];
  chat?: LocalDataTrack;
  /** The local trackPublished events that came after connect() resolved. */
  publishedAfterConnect: string[];
}

let server: RunningServer;
let browser: Browser;
let ann: Page;
let bob: Page;
let cal: Page;

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '1' });
  browser = await launchChromium();
  ann = await openSdkPage(browser, server.url);
  bob = await openSdkPage(browser, server.url);
  cal = await openSdkPage(browser, server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Joins without camera or microphone, with a data track named 'chat' when `withChat`. */
async function join(page: Page, identity: string, withChat: boolean): Promise<void> {
  const token = await server.token(identity, 'data');
  await page.evaluate(
    async ({ token, withChat }) => {
      const w = window as unknown as DataPage;
      w.received = [];
      const tracks = withChat ? [new w.Huddle.Video.LocalDataTrack({ name: 'chat' })] : [];
      w.chat = tracks[0];
      w.room = await w.Huddle.Video.connect(token, { name: 'data', tracks, audio: false, video: false });
      // As twilio-video's data track example does: it may send once this says the track is published.
      w.publishedAfterConnect = [];
      w.room.localParticipant.on('trackPublished', (publication) =>
        w.publishedAfterConnect.push(publication.trackName),
      );
      w.room.on('trackMessage', (data, track) =>
        w.received.push(`${track.name}: ${typeof data === 'string' ? data : `${data.byteLength} bytes`}`),
      );
    },
    { token, withChat },
  );
}

const received = (page: Page) => page.evaluate(() => (window as unknown as DataPage).received);

describe('data tracks', () => {
  it('carry text and binary messages through the SFU to everyone, joined before or after', async () => {
    await join(bob, 'Bob', false);
    await join(ann, 'Ann', true);
    await join(cal, 'Cal', false);
    // A data track joined with is published once its channel is open, after connect() resolved.
    await expect
      .poll(() => ann.evaluate(() => (window as unknown as DataPage).publishedAfterConnect))
      .toEqual(['chat']);
    // Each subscriber's channel opens on its own time: Ann sends until both have heard her.
    await expect
      .poll(
        async () => {
          await ann.evaluate(() => (window as unknown as DataPage).chat!.send('hello'));
          return [(await received(bob)).includes('chat: hello'), (await received(cal)).includes('chat: hello')];
        },
        { timeout: 30_000 },
      )
      .toEqual([true, true]);
    await ann.evaluate(() => {
      const { chat } = window as unknown as DataPage;
      chat!.send(new Uint8Array([1, 2, 3, 4, 5]));
      chat!.send(new Uint8Array(16_000).buffer);
      chat!.send('after the binary ones');
    });
    for (const page of [bob, cal])
      await expect
        .poll(async () => (await received(page)).filter((m) => m !== 'chat: hello'), { timeout: 20_000 })
        .toEqual(['chat: 5 bytes', 'chat: 16000 bytes', 'chat: after the binary ones']);
    const remote = await bob.evaluate(() => {
      const { room } = window as unknown as DataPage;
      const publication = [...[...room.participants.values()][0]!.dataTracks.values()][0]!;
      const track = publication.track!;
      return { name: publication.trackName, kind: publication.kind, reliable: track.reliable, ordered: track.ordered };
    });
    expect(remote).toEqual({ name: 'chat', kind: 'data', reliable: true, ordered: true });
  }, 90_000);

  it('a track published later keeps its reliability (unordered, no retransmissions); unpublished, it is gone', async () => {
    const published = await ann.evaluate(async () => {
      const w = window as unknown as DataPage;
      const track = new w.Huddle.Video.LocalDataTrack({ name: 'cursor', ordered: false, maxRetransmits: 0 });
      const publication = await w.room.localParticipant.publishTrack(track);
      (window as unknown as { cursor: LocalDataTrack }).cursor = track;
      return { kind: publication.kind, name: publication.trackName, tracks: w.room.localParticipant.dataTracks.size };
    });
    expect(published).toEqual({ kind: 'data', name: 'cursor', tracks: 2 });
    await expect
      .poll(
        async () => {
          await ann.evaluate(() => (window as unknown as { cursor: LocalDataTrack }).cursor.send('x=1'));
          return (await received(bob)).includes('cursor: x=1');
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const reliability = await bob.evaluate(() => {
      const { room } = window as unknown as DataPage;
      const publication = [...[...room.participants.values()][0]!.dataTracks.values()].find(
        (p) => p.trackName === 'cursor',
      )!;
      const { ordered, maxRetransmits, maxPacketLifeTime, reliable } = publication.track!;
      return { ordered, maxRetransmits, maxPacketLifeTime, reliable };
    });
    expect(reliability).toEqual({ ordered: false, maxRetransmits: 0, maxPacketLifeTime: null, reliable: false });

    await ann.evaluate(() => {
      const w = window as unknown as DataPage & { cursor: LocalDataTrack };
      w.room.localParticipant.unpublishTrack(w.cursor);
    });
    await expect
      .poll(() =>
        bob.evaluate(() =>
          [...[...(window as unknown as DataPage).room.participants.values()][0]!.dataTracks.values()].map(
            (p) => p.trackName,
          ),
        ),
      )
      .toEqual(['chat']);
  }, 60_000);

  it('measures messages per second and round trips through the SFU (printed, not asserted)', async () => {
    // Bob echoes every 'ping' he gets on Ann's chat track back on a track of his own.
    await bob.evaluate(async () => {
      const w = window as unknown as DataPage;
      const echo = new w.Huddle.Video.LocalDataTrack({ name: 'echo' });
      await w.room.localParticipant.publishTrack(echo);
      w.room.on('trackMessage', (data) => {
        if (typeof data === 'string' && data.startsWith('ping')) echo.send(data);
      });
    });
    const figures = await ann.evaluate(async () => {
      const w = window as unknown as DataPage;
      const echoes: Array<(text: string) => void> = [];
      w.room.on('trackMessage', (data, track) => {
        if (track.name === 'echo' && typeof data === 'string') for (const listener of echoes) listener(data);
      });
      const roundTrip = (text: string) =>
        new Promise<number>((resolve) => {
          const start = performance.now();
          const listener = (echoed: string) => {
            if (echoed !== text) return;
            echoes.splice(echoes.indexOf(listener), 1);
            resolve(performance.now() - start);
          };
          echoes.push(listener);
          w.chat!.send(text);
        });
      await roundTrip('ping-warm-up');
      const rtts: number[] = [];
      for (let i = 0; i < 200; i++) rtts.push(await roundTrip(`ping-${i}`));
      rtts.sort((a, b) => a - b);
      // Throughput: 1 KB messages as fast as the page can send them, counted as echoes come back.
      const payload = `ping-${'x'.repeat(1019)}`;
      let echoed = 0;
      const all = new Promise<void>((resolve) =>
        echoes.push((text) => {
          if (text === payload && ++echoed === 2000) resolve();
        }),
      );
      const start = performance.now();
      for (let i = 0; i < 2000; i++) w.chat!.send(payload);
      await all;
      const seconds = (performance.now() - start) / 1000;
      return { p50: rtts[100]!, p95: rtts[190]!, perSecond: 2000 / seconds };
    });
    console.log(
      `data tracks through the SFU (page → SFU → page → SFU → page): round trip p50 ${figures.p50.toFixed(1)} ms, ` +
        `p95 ${figures.p95.toFixed(1)} ms; 1 KB messages echoed at ${Math.round(figures.perSecond)}/s`,
    );
    expect(figures.perSecond).toBeGreaterThan(0);
  }, 90_000);
});
