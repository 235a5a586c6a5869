/**
 * What happens when something goes wrong during a three-person call, in Chromium: a media worker
 * is killed, the whole server restarts, a browser dies. Each recovery time is printed.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, launchKillableChromium } from '../helpers/browser';
import {
  countLine,
  DEADLINE_MS,
  eventually,
  expectLiveVideoInRightTiles,
  join,
  remoteTiles,
} from '../helpers/call-page';
import { type Colour, writeColourY4m } from '../helpers/fake-camera';
import { type RunningServer, startServer } from '../helpers/server';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const PEOPLE: { name: string; colour: Colour }[] = [
  { name: 'Ana', colour: 'red' },
  { name: 'Ben', colour: 'green' },
  { name: XSS_NAME, colour: 'blue' },
];
const COLOUR_OF = Object.fromEntries(PEOPLE.map((p) => [p.name, p.colour]));
const others = (i: number) => PEOPLE.filter((_, j) => j !== i).map((p) => p.name);

const servers: RunningServer[] = [];
let server: RunningServer;
const browsers: Browser[] = [];
let killThirdBrowser: () => void;
const pages: Page[] = [];
const dialogs: string[] = [];

async function everyoneSeesEveryone(timeoutMs = DEADLINE_MS) {
  await Promise.all(pages.map((page, i) => expectLiveVideoInRightTiles(page, others(i), COLOUR_OF, timeoutMs)));
  for (const page of pages) expect(await countLine(page)).toBe('3 participants online.');
}

async function healthz(): Promise<{ workers: { pid: number; participants: number; alive: boolean }[] }> {
  return (await fetch(`${server.url}/healthz`)).json();
}

beforeAll(async () => {
  server = await startServer({ HUDDLE_WORKERS: '2' });
  servers.push(server);
  const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-y4m-'));
  for (const [i, person] of PEOPLE.entries()) {
    const options = { videoFile: writeColourY4m(dir, person.colour) };
    let browser: Browser;
    if (i === 2) ({ browser, kill: killThirdBrowser } = await launchKillableChromium(options));
    else browser = await launchChromium(options);
    browsers.push(browser);
    const page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/room/recovery`);
    // Set once; still there later only if the page never reloaded. And every text the count line shows.
    await page.evaluate(() => {
      const w = window as unknown as { loadedOnce: boolean; countLines: string[] };
      w.loadedOnce = true;
      w.countLines = [];
      const line = document.getElementById('count')!;
      new MutationObserver(() => w.countLines.push(line.textContent ?? '')).observe(line, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    pages.push(page);
  }
  await Promise.all(pages.map((page, i) => join(page, PEOPLE[i]!.name)));
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
  for (const s of servers) await s.stop();
});

describe('recovery during a three-person call', () => {
  it('shows a name made of HTML as text on every other page', async () => {
    await everyoneSeesEveryone();
    for (const page of pages.slice(0, 2)) {
      const tile = page.locator('.participant.remote', { hasText: XSS_NAME });
      expect(await tile.locator('.name').textContent()).toBe(XSS_NAME);
      expect(await tile.locator('.name img').count()).toBe(0);
    }
    expect(dialogs).toEqual([]);
  }, 120_000);

  it('a media worker killed with SIGKILL: every page shows video again without a reload', async () => {
    const before = await healthz();
    const victim = before.workers.find((w) => w.participants > 0)!;
    expect(victim.participants).toBe(3);
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    await everyoneSeesEveryone();
    console.log(
      `media worker killed: all three pages showed each other's video again after ${Date.now() - killedAt} ms`,
    );
    for (const page of pages) {
      expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
      const lines = await page.evaluate(() => (window as unknown as { countLines: string[] }).countLines);
      expect(lines.slice(lines.indexOf('Reconnecting…'))).toEqual(['Reconnecting…', '3 participants online.']);
    }
    const after = await healthz();
    expect(after.workers.map((w) => w.alive)).toEqual([true, true]);
    expect(after.workers.map((w) => w.pid)).not.toContain(victim.pid);
    expect(server.output()).toContain('media worker died; restarting it');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^huddle_worker_restarts_total 1$/m);
    expect(metrics).toMatch(/^huddle_participants 3$/m);
  }, 120_000);

  it('the whole server restarted: pages reconnect to the new one', async () => {
    const port = new URL(server.url).port;
    const stoppedAt = Date.now();
    await server.stop();
    expect(server.process.exitCode).toBe(0);
    expect(server.output()).toContain('shutting down');
    server = await startServer({ HUDDLE_WORKERS: '2', PORT: port, HUDDLE_DATA_DIR: servers[0]!.dataDir });
    servers.push(server);
    await everyoneSeesEveryone();
    console.log(`server restarted: all three pages showed each other's video again after ${Date.now() - stoppedAt} ms`);
    for (const page of pages)
      expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  }, 120_000);

  it("a browser killed outright disappears from the others' grid and count within 10 s", async () => {
    const killedAt = Date.now();
    killThirdBrowser();
    await Promise.all(
      pages.slice(0, 2).map((page) =>
        eventually(
          async () => ({ line: await countLine(page), tiles: (await remoteTiles(page)).map((t) => t.name) }),
          (v) => v.line === '2 participants online.' && v.tiles.length === 1,
          'the dead browser to vanish',
          10_000,
        ),
      ),
    );
    console.log(`killed browser vanished from both other pages after ${Date.now() - killedAt} ms`);
  }, 60_000);

  it('never wrote a token or the secret to any log', () => {
    const secret = JSON.parse(readFileSync(joinPath(servers[0]!.dataDir, 'credentials.json'), 'utf8'))
      .keySecret as string;
    for (const s of servers) {
      expect(s.output()).not.toContain(secret);
      expect(s.output()).not.toMatch(/eyJ[\w-]+\.eyJ/); // a JWT
    }
  });
});
