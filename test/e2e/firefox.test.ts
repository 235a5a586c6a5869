/**
 * Firefox on Huddle's page: one Firefox ESR (puppeteer-core over WebDriver BiDi) and one Chromium
 * (playwright) in a call, each driven only through the page's kept contract (the input labelled
 * 'Name', the buttons 'Join call' and 'Leave call', each remote tile's name as text beside its
 * video, 'N participants online.'), each judged by its own browser: the other's video decoded and
 * shown in the tile named for them, in the right colour (Chromium's camera is solid red), and the
 * other's audio arriving.
 *
 * Needs root: Firefox pairs no candidates with a server whose only media address is 127.0.0.1,
 * so the SFU's media goes on an address this test makes (harness/media-address.ts: a veth end),
 * removed afterwards whatever happens. Without root, or without /usr/bin/firefox-esr, it skips
 * and says why.
 */

import type { Page as PlaywrightPage } from 'playwright-core';
import type { Browser as FirefoxBrowser, Page as FirefoxPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { firefoxUnavailable, launchFirefox } from '../../harness/firefox';
import { createMediaAddress, type MediaAddress, mediaAddressUnavailable } from '../../harness/media-address';

const DEADLINE_MS = 60_000;
const ROOM = 'firefox';
const skipped = mediaAddressUnavailable() ?? firefoxUnavailable();
if (skipped) console.warn(`test/e2e/firefox.test.ts skipped: ${skipped}`);

/** What both drivers share: evaluating a function with one argument in the page. */
interface AnyPage {
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

/** The average RGB of the middle of a video's picture (installed on each page by keepPeerConnections). */
type MiddleColour = (video: HTMLVideoElement) => number[];

/**
 * Runs before the page's own scripts: keeps every RTCPeerConnection the page makes, so the test
 * reads the browser's own stats whatever the page and the SDK do with them; and installs
 * `middleColour`, the one colour sampler the checks below run in the page.
 */
function keepPeerConnections(): void {
  const middleColour: MiddleColour = (video) => {
    const canvas = document.createElement('canvas');
    canvas.width = 8;
    canvas.height = 8;
    const context = canvas.getContext('2d')!;
    const { videoWidth: w, videoHeight: h } = video;
    context.drawImage(video, w / 4, h / 4, w / 2, h / 2, 0, 0, 8, 8);
    const data = context.getImageData(0, 0, 8, 8).data;
    const rgb = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) rgb[c]! += data[i + c]! / 64;
    return rgb.map(Math.round);
  };
  Object.defineProperty(window, 'middleColour', { value: middleColour });
  const kept: RTCPeerConnection[] = [];
  Object.defineProperty(window, 'keptPeerConnections', { value: kept });
  window.RTCPeerConnection = new Proxy(window.RTCPeerConnection, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      kept.push(pc);
      return pc;
    },
  });
}

interface Received {
  audioPackets: number;
  audioBytes: number;
  videoFrames: number;
}

/** What this browser received, by its own stats, over all its connections. */
function receivedByBrowser(): Promise<Received> {
  const kept = (window as unknown as { keptPeerConnections: RTCPeerConnection[] }).keptPeerConnections;
  const total = { audioPackets: 0, audioBytes: 0, videoFrames: 0 };
  return Promise.all(kept.filter((pc) => pc.connectionState !== 'closed').map((pc) => pc.getStats())).then(
    (reports) => {
      for (const report of reports)
        report.forEach((s: Record<string, unknown>) => {
          if (s.type !== 'inbound-rtp') return;
          if (s.kind === 'audio') {
            total.audioPackets += Number(s.packetsReceived ?? 0);
            total.audioBytes += Number(s.bytesReceived ?? 0);
          } else total.videoFrames += Number(s.framesDecoded ?? 0);
        });
      return total;
    },
  );
}

interface TileVideo {
  width: number;
  height: number;
  playing: boolean;
  time: number;
  /** The average RGB of the middle of the picture. */
  rgb: number[];
}

/**
 * The video in the tile of the person with this name: the nearest element around a <video> that
 * holds the name as text (and no other video). Null until there is one.
 */
function tileVideo(name: string): TileVideo | null {
  const hasName = (element: Element) =>
    [...element.querySelectorAll('*')].some((e) => e.textContent?.trim() === name) ||
    element.textContent?.trim() === name;
  for (const video of document.querySelectorAll('video')) {
    let tile = video.parentElement;
    while (tile && !hasName(tile)) tile = tile.parentElement;
    if (tile?.querySelectorAll('video').length !== 1) continue;
    const { middleColour } = window as unknown as { middleColour: MiddleColour };
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      playing: !video.paused && video.readyState >= 2,
      time: video.currentTime,
      rgb: video.videoWidth > 0 ? middleColour(video) : [0, 0, 0],
    };
  }
  return null;
}

/**
 * The colour (average RGB of the middle) of the camera this browser sends now. Firefox's fake
 * camera is one colour that drifts (green, then towards cyan…), so what a viewer shows is judged
 * against this.
 */
async function sentColour(): Promise<number[] | null> {
  const kept = (window as unknown as { keptPeerConnections: RTCPeerConnection[] }).keptPeerConnections;
  const track = kept
    .filter((pc) => pc.connectionState !== 'closed')
    .flatMap((pc) => pc.getSenders().map((s) => s.track))
    .find((t) => t?.kind === 'video' && t.readyState === 'live');
  if (!track) return null;
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = new MediaStream([track]);
  await video.play();
  while (video.videoWidth === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const rgb = (window as unknown as { middleColour: MiddleColour }).middleColour(video);
  video.srcObject = null;
  return rgb;
}

/** Colours within this of each other on every channel (the picture drifts while it travels). */
const near = (a: number[], b: number[] | null, tolerance = 60) =>
  b !== null && a.every((value, c) => Math.abs(value - b[c]!) <= tolerance);

/** The simulcast layers this browser encodes its camera in, by its own stats: rid, frame height, frames encoded. */
function sentLayers(): Promise<{ rid: string; height: number; frames: number }[]> {
  const kept = (window as unknown as { keptPeerConnections: RTCPeerConnection[] }).keptPeerConnections;
  return Promise.all(kept.filter((pc) => pc.connectionState !== 'closed').map((pc) => pc.getStats())).then(
    (reports) => {
      const layers: { rid: string; height: number; frames: number }[] = [];
      for (const report of reports)
        report.forEach((s: Record<string, unknown>) => {
          if (s.type === 'outbound-rtp' && s.kind === 'video' && typeof s.rid === 'string')
            layers.push({ rid: s.rid, height: Number(s.frameHeight ?? 0), frames: Number(s.framesEncoded ?? 0) });
        });
      return layers.sort((a, b) => a.height - b.height);
    },
  );
}

/** The page's count line, wherever the page shows it. */
const countText = (): string => /\d+ participants? online\./.exec(document.body.textContent ?? '')?.[0] ?? '';

/** Polls a reading until it passes, or fails with the last one seen. */
async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Firefox: types the name into the input labelled 'Name' and presses 'Join call', as a person would. */
async function joinInFirefox(page: FirefoxPage, name: string): Promise<void> {
  const input = await page.waitForFunction(
    () =>
      [...document.querySelectorAll('input')].find(
        (i) =>
          i.getAttribute('aria-label') === 'Name' ||
          [...(i.labels ?? [])].some((l) => l.textContent?.trim().replace(/:$/, '') === 'Name'),
      ),
    { timeout: DEADLINE_MS },
  );
  await input.asElement()!.type(name);
  await page.locator('::-p-aria([name="Join call"][role="button"])').setTimeout(DEADLINE_MS).click();
  await page.locator('::-p-aria([name="Leave call"][role="button"])').setTimeout(DEADLINE_MS).wait();
}

/** Chromium: the same, through playwright. */
async function joinInChromium(page: PlaywrightPage, name: string): Promise<void> {
  await page.getByLabel(/^\s*Name:?\s*$/).fill(name);
  await page.getByRole('button', { name: 'Join call' }).click();
  await page.getByRole('button', { name: 'Leave call' }).waitFor({ timeout: DEADLINE_MS });
}

describe.skipIf(skipped)('Firefox and Chromium in one call on the page', () => {
  let media: MediaAddress | undefined;
  let call: Call<'Cal'> | undefined;
  let firefox: FirefoxBrowser | undefined;
  let fox: FirefoxPage;
  let cal: PlaywrightPage;

  beforeAll(async () => {
    media = createMediaAddress();
    call = await startCall({
      server: { HUDDLE_RTC_BIND: media.address, HUDDLE_WORKERS: '1' },
      room: ROOM,
      // Big enough to go in two layers, as a laptop camera would.
      camera: { width: 640, height: 480 },
      people: [{ name: 'Cal', colour: 'red' }],
      join: false,
      initScript: keepPeerConnections,
    });
    cal = call.pages.Cal;
    firefox = await launchFirefox();
    fox = await firefox.newPage();
    fox.on('pageerror', (error) => console.log('[Fox] page error:', error));
    fox.on('console', (message) => {
      if (message.type() === 'warn' || message.type() === 'error')
        console.log(`[Fox] ${message.type()}: ${message.text().slice(0, 300)}`);
    });
    await fox.evaluateOnNewDocument(keepPeerConnections);
    await fox.goto(call.roomUrl);
  }, 120_000);

  afterAll(async () => {
    await firefox?.close().catch(() => undefined);
    await call?.close();
    media?.close();
  });

  it('each sees the other in the tile named for them and hears them, and the count follows a leave', async () => {
    await joinInFirefox(fox, 'Fox');
    await joinInChromium(cal, 'Cal');
    for (const page of [fox, cal] as AnyPage[])
      await until(
        'both pages to count two',
        () => page.evaluate(countText, undefined),
        (t) => t === '2 participants online.',
      );

    // Chromium's red camera in Firefox's tile for Cal, and Firefox's fake camera in Chromium's for Fox.
    const redInFirefox = await until(
      "Cal's red video in Firefox's tile for Cal",
      () => fox.evaluate(tileVideo, 'Cal'),
      (v) => !!v && v.width > 0 && v.playing && v.rgb[0]! > 150 && v.rgb[1]! < 90 && v.rgb[2]! < 90,
    );
    const foxInChromium = await until(
      "Fox's video in Chromium's tile for Fox, the colour Firefox's camera is now",
      async () => ({ shown: await cal.evaluate(tileVideo, 'Fox'), sent: await fox.evaluate(sentColour, undefined) }),
      ({ shown, sent }) =>
        !!shown && shown.width > 0 && shown.playing && Math.max(...shown.rgb) > 100 && near(shown.rgb, sent),
    );
    console.log('Firefox shows Cal:', redInFirefox, '; Chromium shows Fox:', foxInChromium);

    // Firefox sends its 640×480 camera in two layers (its rid-based simulcast offer, which the SFU
    // answered), each encoded, the SDK's low layer 'q' smaller than its high one 'h' (a busy machine
    // may make Firefox scale both down, so the sizes are not pinned).
    const layers = await until(
      'Firefox to encode its camera in two layers, q below h',
      () => fox.evaluate(sentLayers, undefined),
      (l) =>
        l.map((layer) => layer.rid).join() === 'q,h' &&
        l[0]!.height > 0 &&
        l[0]!.height < l[1]!.height &&
        l.every((layer) => layer.frames > 0),
    );
    console.log("Firefox's layers:", layers);

    // Both keep decoding video and receiving audio (the browsers' own inbound-rtp counts grow).
    for (const [who, page] of [
      ['Firefox', fox],
      ['Chromium', cal],
    ] as const) {
      const before = await (page as AnyPage).evaluate(receivedByBrowser, undefined);
      await until(
        `${who} to decode more video and receive more audio`,
        () => (page as AnyPage).evaluate(receivedByBrowser, undefined),
        (now) =>
          now.videoFrames >= before.videoFrames + 30 &&
          now.audioPackets >= before.audioPackets + 100 &&
          now.audioBytes > before.audioBytes,
      );
    }
    // The picture moves on in both tiles.
    const foxTime = (await fox.evaluate(tileVideo, 'Cal'))!.time;
    const calTime = (await cal.evaluate(tileVideo, 'Fox'))!.time;
    await until(
      'Firefox to play on',
      () => fox.evaluate(tileVideo, 'Cal'),
      (v) => (v?.time ?? 0) > foxTime + 1,
    );
    await until(
      'Chromium to play on',
      () => cal.evaluate(tileVideo, 'Fox'),
      (v) => (v?.time ?? 0) > calTime + 1,
    );

    await fox.locator('::-p-aria([name="Leave call"][role="button"])').click();
    await until(
      'Chromium to count one',
      () => cal.evaluate(countText),
      (t) => t === '1 participant online.',
    );
    await until(
      'Fox gone from Chromium',
      () => cal.evaluate(tileVideo, 'Fox'),
      (v) => v === null,
    );
  }, 240_000);
});
