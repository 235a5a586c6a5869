/**
 * The README's picture of a three-person call: real Chromium pages with coloured fake cameras,
 * Cal speaking (synthesized speech), a chat message. Run: npm run build && npx tsx scripts/readme-screenshot.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser';
import { eventually, join } from '../test/helpers/call-page';
import { writeSilenceWav, writeSpeechWav } from '../test/helpers/fake-audio';
import { type Colour, writeColourY4m } from '../test/helpers/fake-camera';
import { startServer } from '../test/helpers/server';

const server = await startServer({ HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn' });
const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-shot-'));
const people: [string, Colour, string][] = [
  ['Ana', 'red', writeSilenceWav(dir)],
  ['Bea', 'green', writeSilenceWav(dir)],
  ['Cal', 'blue', writeSpeechWav(dir)],
];
const browsers: Browser[] = [];
const pages: Page[] = [];
for (const [name, colour, audio] of people) {
  const browser = await launchChromium({ videoFile: writeColourY4m(dir, colour, 640, 480), audioFile: audio });
  browsers.push(browser);
  const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  await page.goto(`${server.url}/room/Team%20stand-up`);
  await join(page, name);
  pages.push(page);
}
await pages[1]!.getByLabel('Message').fill('Morning! <b>Agenda</b> is in the doc.');
await pages[1]!.getByRole('button', { name: 'Send' }).click();
await eventually(
  () => pages[0]!.locator('.participant.remote.speaking').count(),
  (n) => n === 1,
  'Cal highlighted',
);
await eventually(
  () => pages[0]!.locator('.chat-message').count(),
  (n) => n === 1,
  'the chat message',
);
await pages[0]!.screenshot({ path: 'docs/call.png' });
for (const b of browsers) await b.close();
await server.stop();
console.log('wrote docs/call.png');
