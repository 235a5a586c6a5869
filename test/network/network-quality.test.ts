/**
 * Network quality on a real bad link (needs root for the network lab; skipped elsewhere with the
 * reason printed): someone whose uplink loses 15 % of its packets is shown as poor (level ≤ 2) to
 * themselves and to the other person, who is on this machine's own network and shown as good
 * (≥ 4) to both. The levels come from what each browser measures, the SFU's receiver reports
 * included, as twilio-video's networkQualityLevel.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { LabHost, labUnavailable } from '../../harness/network-lab';
import { openSdkPage } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';

type Sdk = typeof import('../../src/sdk/index');
type Room = import('../../src/sdk/index').Room;

const unavailable = labUnavailable();
if (unavailable) console.log(`network quality lab test skipped: ${unavailable}`);

let server: RunningServer;
let host: LabHost;
const browsers: Browser[] = [];
let good: Page;
let poor: Page;

async function person(origin: string, executablePath?: string): Promise<Page> {
  const browser = await launchChromium({
    ...(executablePath ? { executablePath } : {}),
    args: [
      `--unsafely-treat-insecure-origin-as-secure=${origin}`,
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE 10.233.*',
    ],
  });
  browsers.push(browser);
  return openSdkPage(browser, origin);
}

async function join(page: Page, identity: string): Promise<void> {
  const token = await server.token(identity, 'quality');
  await page.evaluate(async (token) => {
    const w = window as unknown as { Huddle: { Video: Sdk }; room: Room };
    const camera = await w.Huddle.Video.createLocalVideoTrack({ width: 320, height: 240, frameRate: 15 });
    w.room = await w.Huddle.Video.connect(token, {
      name: 'quality',
      tracks: [camera],
      networkQuality: { local: 1, remote: 1 },
    });
  }, token);
}

/** The levels a page shows: its own and each other person's, by name. */
const levels = (page: Page) =>
  page.evaluate(() => {
    const { room } = window as unknown as { room: Room };
    const shown: Record<string, number | null> = { me: room.localParticipant.networkQualityLevel };
    for (const p of room.participants.values()) shown[p.identity] = p.networkQualityLevel;
    return shown;
  });

beforeAll(async () => {
  if (unavailable) return;
  server = await startServer({ HOST: '0.0.0.0', HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn' });
  host = LabHost.create({ loss: { up: 15 } });
  const port = new URL(server.url).port;
  good = await person(`http://127.0.0.1:${port}`);
  poor = await person(`http://${host.gateway}:${port}`, host.chromium);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(browsers.map((b) => b.close()));
  host?.close();
  await server?.stop();
});

describe.skipIf(!!unavailable)('network quality levels', () => {
  it('someone losing 15 % of what they send is poor to everyone, and the other person good', async () => {
    await join(good, 'Good');
    await join(poor, 'Poor');
    const judged = (shown: Record<string, number | null>, self: 'Good' | 'Poor') => {
      const of = (name: string) => (name === self ? shown.me : shown[name]) ?? -1;
      return { poorIsPoor: of('Poor') >= 0 && of('Poor') <= 2, goodIsGood: of('Good') >= 4 };
    };
    await expect
      .poll(async () => judged(await levels(good), 'Good'), { timeout: 40_000, interval: 1000 })
      .toEqual({ poorIsPoor: true, goodIsGood: true });
    await expect
      .poll(async () => judged(await levels(poor), 'Poor'), { timeout: 40_000, interval: 1000 })
      .toEqual({ poorIsPoor: true, goodIsGood: true });
    console.log(
      `levels on Good's page ${JSON.stringify(await levels(good))}, on Poor's ${JSON.stringify(await levels(poor))}`,
    );
  }, 120_000);
});
