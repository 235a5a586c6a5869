/**
 * Attacks on a live room: two people in Chromium pages sending real media, and an observer that
 * measures its signalling round trip. Each attack runs bounded in time and count; meanwhile the
 * others' video must keep being decoded, their signalling must stay quick, and the server's
 * memory must stay flat.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Call, startCall } from '../../harness/call';
import { deltaFramesDecoded } from '../../harness/call-page';
import { SignalClient } from '../helpers/signal-client';

let call: Call<'Ann' | 'Ben'>;
let observer: SignalClient;
beforeAll(async () => {
  call = await startCall({
    room: 'attacked',
    people: [
      { name: 'Ann', colour: 'red' },
      { name: 'Ben', colour: 'blue' },
    ],
  });
  observer = await new SignalClient(call.server.signalUrl).open();
  observer.send({
    type: 'join',
    token: await call.token('Observer'),
    room: 'attacked',
    publish: { audio: false, video: false },
  });
  await observer.next('joined');
}, 180_000);
afterAll(async () => {
  observer?.socket.close();
  await call?.close();
});

const rssMiB = () => {
  const status = readFileSync(`/proc/${call.server.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

/** Runs `attack` for `ms` while measuring what the others get. */
async function whileAttacking(ms: number, attack: (until: number) => Promise<void>) {
  const framesBefore = await Promise.all(call.pageList.map(deltaFramesDecoded));
  const rtts: number[] = [];
  const rss: number[] = [rssMiB()];
  let id = 1000;
  const until = Date.now() + ms;
  const measuring = (async () => {
    while (Date.now() < until) {
      const ping = ++id;
      const sent = performance.now();
      const answered = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the observer got no pong within 10 s')), 10_000);
        const onMessage = (data: WebSocket.RawData) => {
          const message = JSON.parse(data.toString());
          if (message.type !== 'pong' || message.id !== ping) return;
          clearTimeout(timer);
          observer.socket.off('message', onMessage);
          resolve();
        };
        observer.socket.on('message', onMessage);
      });
      observer.send({ type: 'ping', id: ping });
      await answered;
      rtts.push(performance.now() - sent);
      rss.push(rssMiB());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  await Promise.all([attack(until), measuring]);
  const framesAfter = await Promise.all(call.pageList.map(deltaFramesDecoded));
  const sorted = [...rtts].sort((a, b) => a - b);
  const result = {
    rttP50: sorted[Math.floor(sorted.length / 2)]!,
    rttMax: sorted.at(-1)!,
    rssStart: rss[0]!,
    rssMax: Math.max(...rss),
    rssEverySecond: rss.filter((_, i) => i % 5 === 0).map((v) => Math.round(v)),
    framesGained: framesAfter.map((after, p) => Math.min(...after.map((n, i) => n - (framesBefore[p]![i] ?? 0)))),
  };
  console.log(JSON.stringify(result));
  return result;
}

describe('a live room under attack', () => {
  it('a client that floods one-byte frames and stops reading: memory, the others round trip and video hold', async () => {
    const attacker = new WebSocket(call.server.signalUrl);
    await new Promise((resolve) => attacker.once('open', resolve));
    attacker.send(
      JSON.stringify({
        type: 'join',
        token: await call.token('Mallory'),
        room: 'attacked',
        publish: { audio: false, video: false },
      }),
    );
    await new Promise((resolve) => attacker.once('message', resolve));
    (attacker as unknown as { _socket: { pause(): void } })._socket.pause();
    let frames = 0;
    const result = await whileAttacking(Number(process.env.ABUSE_FLOOD_MS ?? 15_000), async (until) => {
      while (Date.now() < until && attacker.readyState === attacker.OPEN) {
        // Write as fast as the server takes it (ws would buffer the rest in this process).
        if (attacker.bufferedAmount < 256 * 1024) {
          for (let i = 0; i < 500; i++) attacker.send('x');
          frames += 500;
        }
        attacker.pong();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    console.log(`flood: ${frames} frames written`);
    expect(result.rssMax - result.rssStart).toBeLessThan(40);
    expect(result.rttP50).toBeLessThan(200);
    expect(result.rttMax).toBeLessThan(2000);
    // 15 s of 24 fps video: a frozen picture would gain nothing.
    for (const gained of result.framesGained) expect(gained).toBeGreaterThan(100);
    attacker.terminate();
  }, 120_000);

  it("someone who only knows a member's name and SID cannot take its place", async () => {
    const ann = call.pages.Ann;
    const annSid = await ann.evaluate(() => window.huddleRoom!.localParticipant.sid);
    const impostor = await new SignalClient(call.server.signalUrl).open();
    impostor.send({
      type: 'join',
      token: await call.token('Ann'),
      room: 'attacked',
      publish: { audio: true, video: true },
      resume: annSid,
    });
    expect((await impostor.closed).reason).toMatch(/^IDENTITY_IN_USE: /);
    expect(await ann.evaluate(() => window.huddleRoom!.state)).toBe('connected');
    expect(await ann.evaluate(() => window.huddleRoom!.localParticipant.sid)).toBe(annSid);
    const result = await whileAttacking(3000, async () => {});
    for (const gained of result.framesGained) expect(gained).toBeGreaterThan(10);
  });

  it('a member whose connection died silently gives its name up to the next one who comes with it', async () => {
    const ghost = await new SignalClient(call.server.signalUrl).open();
    ghost.send({
      type: 'join',
      token: await call.token('Zoe'),
      room: 'attacked',
      publish: { audio: false, video: false },
    });
    await ghost.next('joined');
    // No more reading, so no pong: to the server this is a dead link its heartbeat has not caught yet.
    (ghost.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const zoe = await new SignalClient(call.server.signalUrl).open();
    zoe.send({
      type: 'join',
      token: await call.token('Zoe'),
      room: 'attacked',
      publish: { audio: false, video: false },
    });
    await zoe.next('joined');
    zoe.socket.close();
    ghost.socket.terminate();
  });
});
