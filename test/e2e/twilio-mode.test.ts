/**
 * The same page when the server runs on Twilio. Twilio cannot be reached from here (and the test
 * browser resolves no host name), so this checks what a person sees then: the bundled
 * twilio-video SDK is loaded from Huddle's server, the join fails with the seed's message, the
 * button comes back, and nothing is thrown unhandled.
 */

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser';
import { countLine } from '../../harness/call-page';
import { type RunningServer, startServer } from '../../harness/server';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({
    TWILIO_ACCOUNT_SID: `AC${'3'.repeat(32)}`,
    TWILIO_API_KEY_SID: `SK${'4'.repeat(32)}`,
    TWILIO_API_KEY_SECRET: 'not-a-real-secret',
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the page on the Twilio backend', () => {
  it('says so in the start log and on the page', async () => {
    expect(server.output()).toContain('(on Twilio Programmable Video)');
    const page = await browser.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.locator('#backend').textContent()).toBe('Calls run on Twilio Programmable Video.');
    await page.close();
  });

  it('joins with the bundled twilio-video and, with Twilio unreachable, says the connection failed', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const warnings: string[] = [];
    page.on('console', (message) => warnings.push(message.text()));
    const scripts: { url: string; status: number }[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script')
        scripts.push({ url: response.url(), status: response.status() });
    });
    await page.goto(server.url);
    // The page learns the backend from /info and loads its SDK while the person types (the
    // embedded page never loads it: call.test checks that).
    await expect.poll(() => scripts.some((s) => s.url.includes('twilio-video-api'))).toBe(true);
    await page.locator('#username').fill('Alice');
    await page.getByRole('button', { name: 'Join call' }).click();
    await expect
      .poll(() => page.locator('#notice').textContent(), { timeout: 45_000 })
      .toBe('Connection failed. Is the backend running?');
    const twilioChunk = scripts.find((s) => s.url.includes('twilio-video-api'));
    expect(twilioChunk?.url.startsWith(server.url)).toBe(true);
    expect(twilioChunk?.status).toBe(200);
    expect(await page.getByRole('button', { name: 'Join call' }).isEnabled()).toBe(true);
    expect(await countLine(page)).toBe('Disconnected.');
    expect(errors).toEqual([]);
    // It failed inside twilio-video's own signalling, so the SDK really loaded and tried Twilio.
    expect(warnings.filter((w) => w.includes('join failed'))).toEqual([
      'huddle: join failed: TwilioError: Signaling connection error',
    ]);
    await page.close();
  }, 60_000);
});
