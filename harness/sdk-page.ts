/**
 * A page that uses Huddle's SDK directly, as a third-party app does: it loads only
 * /sdk/huddle-video.js from the server's origin, with no Huddle page around it. Lighter than the
 * Huddle page (no preview, no UI), for tests and benches that need many joins or many browsers.
 */
import type { Browser, Page } from 'playwright-core';

export async function openSdkPage(
  browser: Browser,
  origin: string,
  initScripts: Array<string | (() => void)> = [],
): Promise<Page> {
  const page = await browser.newPage();
  for (const script of initScripts) await page.addInitScript(script);
  // tsx (the bench, the scripts) names functions with an esbuild helper; pages need it too.
  await page.addInitScript('globalThis.__name ??= (fn) => fn;');
  await page.goto(`${origin}/sdk/huddle-video.js`);
  await page.setContent('<div id="videos"></div>');
  await page.addScriptTag({ url: '/sdk/huddle-video.js' });
  return page;
}

export interface SdkJoin {
  token: string;
  room: string;
  /** Publish a camera (640×480 at 24 fps) and/or a microphone. */
  video: boolean;
  audio?: boolean;
}

/**
 * Joins through the SDK; remote videos go into #videos. Resolves once connect() has resolved;
 * the room is window.huddleRoom, and every 'reconnecting' it raised is in window.huddleReconnects.
 */
export async function sdkJoin(page: Page, join: SdkJoin): Promise<void> {
  await page.evaluate(async ({ token, room, video, audio }) => {
    type Sdk = typeof import('../src/sdk/index');
    const w = window as unknown as { Huddle: { Video: Sdk }; huddleRoom: unknown; huddleReconnects: string[] };
    const Video = w.Huddle.Video;
    const tracks = [
      ...(video ? [await Video.createLocalVideoTrack({ width: 640, height: 480, frameRate: 24 })] : []),
      ...(audio ? [await Video.createLocalAudioTrack()] : []),
    ];
    const joined = await Video.connect(token, { name: room, tracks });
    w.huddleReconnects = [];
    // What happened to whom, in order: a test that fails prints it.
    const events: string[] = [];
    (w as unknown as { huddleEvents: string[] }).huddleEvents = events;
    const at = () => `${Math.round(performance.now())}ms`;
    joined.on('participantConnected', (p) => events.push(`${at()} connected ${p.identity} ${p.sid}`));
    joined.on('participantDisconnected', (p) => events.push(`${at()} disconnected ${p.identity} ${p.sid}`));
    joined.on('participantReconnecting', (p) => events.push(`${at()} reconnecting ${p.identity}`));
    joined.on('trackSubscribed', (t, _pub, p) => events.push(`${at()} subscribed ${p.identity} ${t.kind} ${t.sid}`));
    joined.on('trackUnsubscribed', (t, _pub, p) =>
      events.push(`${at()} unsubscribed ${p.identity} ${t.kind} ${t.sid}`),
    );
    joined.on('reconnecting', (error) => {
      w.huddleReconnects.push(error.huddleCode);
      events.push(`${at()} this page reconnecting: ${error.huddleCode} ${error.message}`);
    });
    joined.on('disconnected', () => events.push(`${at()} this page disconnected`));
    const show = (track: { kind: string; attach?: () => HTMLMediaElement }) => {
      if (track.kind !== 'video' || !track.attach) return;
      const element = track.attach();
      element.style.width = '160px';
      document.getElementById('videos')!.appendChild(element);
    };
    joined.on('trackSubscribed', show);
    for (const participant of joined.participants.values()) {
      for (const publication of participant.videoTracks.values()) if (publication.track) show(publication.track);
    }
    w.huddleRoom = joined;
  }, join);
}

/** Leaves, and clears the page's videos. */
export async function sdkLeave(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { huddleRoom?: { disconnect(): void } };
    w.huddleRoom?.disconnect();
    w.huddleRoom = undefined;
    document.getElementById('videos')!.replaceChildren();
  });
}

/** How many videos on the page have decoded a frame. */
export const decodedVideos = (page: Page): Promise<number> =>
  page.$$eval('#videos video', (videos) => videos.filter((v) => (v as HTMLVideoElement).videoWidth > 0).length);
