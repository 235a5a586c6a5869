/**
 * Seats held by clients whose media never comes up: they are let go after HUDDLE_MEDIA_TIMEOUT_MS
 * (here 2 s) with MEDIA_TIMEOUT, so a room filled that way opens again, while a real browser in
 * the same room, whose media did connect, stays on without a reconnection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { writeColourY4m } from '../../harness/fake-camera';
import { openSdkPage, sdkJoin } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';
import { SignalClient } from '../helpers/signal-client';

const TIMEOUT_MS = 2000;
const CAPACITY = 5;
const ROOM = 'squatted';
let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  server = await startServer({
    HUDDLE_WORKERS: '1',
    HUDDLE_MEDIA_TIMEOUT_MS: String(TIMEOUT_MS),
    HUDDLE_ROOM_CAPACITY: String(CAPACITY),
  });
  dir = mkdtempSync(join(tmpdir(), 'huddle-seats-'));
  browser = await launchChromium({ videoFile: writeColourY4m(dir, 'green') });
  page = await openSdkPage(browser, server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function squatter(identity: string, publish: { audio: boolean; video: boolean }) {
  const client = await new SignalClient(server.signalUrl).open();
  client.send({ type: 'join', token: await server.token(identity, ROOM), room: ROOM, publish });
  return client;
}

const roomView = () =>
  page.evaluate(() => {
    const room = (window as unknown as { huddleRoom: { state: string; participants: Map<string, unknown> } })
      .huddleRoom;
    const reconnects = (window as unknown as { huddleReconnects: string[] }).huddleReconnects;
    return { state: room.state, others: room.participants.size, reconnects };
  });

describe('seats whose media never connects', () => {
  it('are given up with MEDIA_TIMEOUT; the room opens again; a connected browser stays', async () => {
    await sdkJoin(page, { token: await server.token('Real', ROOM), room: ROOM, video: true });
    // Four clients that join (publishing, so they are offered at once) and never answer.
    const squatters = await Promise.all(
      ['S1', 'S2', 'S3', 'S4'].map((name) => squatter(name, { audio: true, video: false })),
    );
    for (const s of squatters) await s.next('joined');
    await expect.poll(async () => (await roomView()).others, { timeout: 10_000 }).toBe(4);
    const turnedAway = await squatter('S5', { audio: false, video: false });
    expect((await turnedAway.closed).reason).toMatch(/^ROOM_FULL: /);

    const closes = await Promise.all(squatters.map((s) => s.closed));
    expect(closes.map((c) => c.reason.split(':')[0])).toEqual(Array(4).fill('MEDIA_TIMEOUT'));
    await expect.poll(async () => (await roomView()).others, { timeout: 10_000 }).toBe(0);

    const newcomer = await squatter('Newcomer', { audio: false, video: false });
    expect((await newcomer.next('joined')).type).toBe('joined');
    newcomer.socket.close();
    // Three more timeouts' worth: the browser whose media connected is still in, never reconnected.
    await new Promise((resolve) => setTimeout(resolve, 3 * TIMEOUT_MS));
    expect(await roomView()).toEqual({ state: 'connected', others: 0, reconnects: [] });
  }, 60_000);
});
