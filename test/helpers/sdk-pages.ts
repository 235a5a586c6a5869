/**
 * The fixture of the tests that drive Huddle's SDK directly: one server and one Chromium for the
 * file, and `count` pages that load only /sdk/huddle-video.js, made in beforeAll and stopped in
 * afterAll. Read its fields inside the tests (they are set once beforeAll ran).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { openSdkPage } from '../../harness/sdk-page';
import { type RunningServer, startServer } from '../../harness/server';

export interface SdkPages {
  server: RunningServer;
  browser: Browser;
  pages: Page[];
}

export function sdkPagesForFile(count: number, env: Record<string, string> = { HUDDLE_WORKERS: '1' }): SdkPages {
  const fixture = { pages: [] as Page[] } as SdkPages;
  beforeAll(async () => {
    fixture.server = await startServer(env);
    fixture.browser = await launchChromium();
    for (let i = 0; i < count; i++) fixture.pages.push(await openSdkPage(fixture.browser, fixture.server.url));
  }, 60_000);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}
