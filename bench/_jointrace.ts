import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { launchChromium } from '../test/helpers/browser';
import { join, remoteTiles, eventually } from '../test/helpers/call-page';
import { writeColourY4m } from '../test/helpers/fake-camera';
import { startServer } from '../test/helpers/server';

const server = await startServer({ HUDDLE_LOG_LEVEL: 'warn' });
const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-bench-'));
const browsers = await Promise.all((['red', 'green', 'blue'] as const).map((c) => launchChromium({ videoFile: writeColourY4m(dir, c) })));
const pages = await Promise.all(browsers.map((b) => b.newPage()));
await pages[2]!.addInitScript({ content: `
  window.__t = [];
  const mark = (what) => window.__t.push([what, Math.round(performance.now())]);
  window.__mark = mark;
  const origFetch = window.fetch;
  window.fetch = (...a) => { mark('fetch'); return origFetch(...a).then((r) => { mark('fetch done'); return r; }); };
  const WS = window.WebSocket;
  window.WebSocket = class extends WS { constructor(u, p) { super(u, p); mark('ws new'); this.addEventListener('open', () => mark('ws open')); this.addEventListener('message', (e) => { try { mark('msg ' + JSON.parse(e.data).type); } catch {} }); } send(d) { try { mark('send ' + JSON.parse(d).type); } catch {} super.send(d); } };
  const PC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends PC { constructor(c) { super(c); mark('pc new'); this.addEventListener('icegatheringstatechange', () => mark('gathering ' + this.iceGatheringState)); this.addEventListener('iceconnectionstatechange', () => mark('ice ' + this.iceConnectionState)); this.addEventListener('connectionstatechange', () => mark('conn ' + this.connectionState)); this.addEventListener('track', () => mark('track')); } };
` });
for (const page of pages) await page.goto(`${server.url}/room/bench`);
await join(pages[0]!, 'One');
await join(pages[1]!, 'Two');
const joiner = pages[2]!;
for (let i = 0; i < 6; i++) {
  await joiner.evaluate(() => ((window as any).__t = []));
  await joiner.locator('#username').fill('Three');
  await joiner.evaluate(() => (window as any).__mark('click'));
  await joiner.getByRole('button', { name: 'Join call' }).click();
  await eventually(() => remoteTiles(joiner), (t) => t.length === 2 && t.every((x) => x.videoWidth > 0), 'remote frames', 30_000);
  await joiner.evaluate(() => (window as any).__mark('frames seen'));
  const t = await joiner.evaluate(() => (window as any).__t as [string, number][]);
  const t0 = t[0]![1];
  console.log(t.map(([w, at]) => `${w}@${at - t0}`).join(' | '));
  await joiner.getByRole('button', { name: 'Leave call' }).click();
  await joiner.getByRole('button', { name: 'Join call' }).waitFor();
}
await Promise.all(browsers.map((b) => b.close()));
await server.stop();
process.exit(0);
