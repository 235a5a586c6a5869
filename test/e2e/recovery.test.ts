/**
 * What happens when something goes wrong during a three-person call, in Chromium: a media worker
 * is killed, the whole server restarts, a browser freezes (gone without closing its connections),
 * a browser dies. Each recovery time is printed.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { countLine, DEADLINE_MS, eventually, remoteTiles } from '../../harness/call-page';
import { type RunningServer, startServer } from '../../harness/server';
import { expectLiveVideoInRightTiles } from '../helpers/expect-video';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const NAMES = ['Ana', 'Ben', XSS_NAME] as const;
type Name = (typeof NAMES)[number];
const others = (name: Name) => NAMES.filter((n) => n !== name);
/** Short, so a vanished peer is dropped quickly; still far above a pong's round trip on a busy machine. */
const HEARTBEAT_MS = 2000;
/** Short, so a browser that died gives its seat up quickly (the default holds it 30 s for its return). */
const RECONNECT_GRACE_MS = 3000;
const SERVER_ENV = {
  HUDDLE_WORKERS: '2',
  HUDDLE_HEARTBEAT_MS: String(HEARTBEAT_MS),
  HUDDLE_RECONNECT_GRACE_MS: String(RECONNECT_GRACE_MS),
};

const servers: RunningServer[] = [];
let server: RunningServer;
let call: Call<Name>;
const dialogs: string[] = [];

async function everyoneSeesEveryone(timeoutMs = DEADLINE_MS) {
  await Promise.all(
    NAMES.map((name) => expectLiveVideoInRightTiles(call.pages[name], others(name), call.colourOf, timeoutMs)),
  );
  for (const page of call.pageList) expect(await countLine(page)).toBe('3 participants online.');
}

beforeAll(async () => {
  // The test restarts the server itself, so the call is given one rather than starting its own.
  server = await startServer(SERVER_ENV);
  servers.push(server);
  call = await startCall({
    server,
    room: 'recovery',
    people: [
      { name: 'Ana', colour: 'red' },
      { name: 'Ben', colour: 'green', killable: true },
      { name: XSS_NAME, colour: 'blue', killable: true },
    ],
    onLoad: async (page) => {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // Set once; still there later only if the page never reloaded. And every text the count line shows.
      await page.evaluate(() => {
        const w = window as unknown as { loadedOnce: boolean; countLines: string[] };
        w.loadedOnce = true;
        w.countLines = [];
        // The line moves (from the pre-join room to the call's toolbar): follow whichever element it is.
        new MutationObserver(() => {
          const text = document.getElementById('count')?.textContent ?? '';
          if (text !== w.countLines.at(-1)) w.countLines.push(text);
        }).observe(document.body, { childList: true, characterData: true, subtree: true });
      });
    },
  });
}, 120_000);

afterAll(async () => {
  await call?.close();
  for (const s of servers) await s.stop();
});

describe('recovery during a three-person call', () => {
  it('shows a name made of HTML as text on every other page', async () => {
    await everyoneSeesEveryone();
    for (const page of [call.pages.Ana, call.pages.Ben]) {
      const tile = page.locator('.participant.remote', { hasText: XSS_NAME });
      expect(await tile.locator('.name').textContent()).toBe(XSS_NAME);
      expect(await tile.locator('.name img').count()).toBe(0);
    }
    expect(dialogs).toEqual([]);
  }, 120_000);

  it('a media worker killed with SIGKILL: every page shows video again without a reload', async () => {
    const before = await server.health();
    const victim = before.workers.find((w) => w.participants > 0)!;
    expect(victim.participants).toBe(3);
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    // Each page keeps its tiles (and their last frames) while it reconnects: first the
    // reconnection, then the video that follows it.
    await Promise.all(
      call.pageList.map((page) =>
        eventually(
          () => page.evaluate(() => (window as unknown as { countLines: string[] }).countLines),
          (lines) => lines.includes('Reconnecting…') && lines.at(-1) === '3 participants online.',
          'the page to reconnect',
          DEADLINE_MS,
        ),
      ),
    );
    await everyoneSeesEveryone();
    console.log(
      `media worker killed: all three pages showed each other's video again after ${Date.now() - killedAt} ms`,
    );
    for (const page of call.pageList) {
      expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
      const lines = await page.evaluate(() => (window as unknown as { countLines: string[] }).countLines);
      expect(lines.slice(lines.indexOf('Reconnecting…'))).toEqual(['Reconnecting…', '3 participants online.']);
    }
    const after = await server.health();
    expect(after.workers.map((w) => w.alive)).toEqual([true, true]);
    expect(after.workers.map((w) => w.pid)).not.toContain(victim.pid);
    expect(server.output()).toContain('media worker died; restarting it');
    const metrics = await server.metrics();
    expect(metrics).toMatch(/^huddle_worker_restarts_total 1$/m);
    expect(metrics).toMatch(/^huddle_participants 3$/m);
  }, 120_000);

  it('the whole server restarted: pages reconnect to the new one', async () => {
    const port = new URL(server.url).port;
    const stoppedAt = Date.now();
    await server.stop();
    expect(server.process.exitCode).toBe(0);
    expect(server.output()).toContain('shutting down');
    server = await startServer({ ...SERVER_ENV, PORT: port, HUDDLE_DATA_DIR: servers[0]!.dataDir });
    servers.push(server);
    await everyoneSeesEveryone();
    console.log(`server restarted: all three pages showed each other's video again after ${Date.now() - stoppedAt} ms`);
    for (const page of call.pageList)
      expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  }, 120_000);

  it(`a browser frozen mid-call (no FIN: its connections just go silent) shows as reconnecting on the others' tiles within about 2 × the ${HEARTBEAT_MS} ms heartbeat, and is back when it thaws`, async () => {
    const [ana, ben, frozen] = [call.pages.Ana, call.pages.Ben, call.pages[XSS_NAME]];
    const sid = await frozen.evaluate(() => window.huddleRoom!.localParticipant.sid);
    // What twilio-video's apps listen to: the room's events about the frozen one, as they come.
    for (const page of [ana, ben])
      await page.evaluate((frozenSid) => {
        const w = window as unknown as { frozenEvents: string[] };
        w.frozenEvents = [];
        for (const event of ['participantReconnecting', 'participantReconnected', 'participantDisconnected'] as const)
          window.huddleRoom!.on(event, (p: { sid: string; state: string }) => {
            if (p.sid === frozenSid) w.frozenEvents.push(`${event}:${p.state}`);
          });
      }, sid);
    // (asked before it freezes: a frozen page answers nothing)
    const countLines = () => frozen.evaluate(() => (window as unknown as { countLines: string[] }).countLines);
    const seenBefore = (await countLines()).length;
    const frozenAt = Date.now();
    call.freeze(XSS_NAME);
    const reconnectingTile = (page: typeof ana) =>
      page.locator('.participant.remote', { hasText: XSS_NAME }).locator('.reconnecting');
    // Seen gone between one and two heartbeats after it went silent; its seat is held meanwhile.
    await Promise.all(
      [ana, ben].map((page) =>
        eventually(
          async () => ({ line: await countLine(page), shown: await reconnectingTile(page).count() }),
          (v) => v.line === '3 participants online.' && v.shown === 1,
          'the frozen browser to show as reconnecting',
          2 * HEARTBEAT_MS + 2000,
        ),
      ),
    );
    console.log(`frozen browser shown reconnecting on both other pages after ${Date.now() - frozenAt} ms`);
    // The heartbeat found it, not the media connection timing out.
    expect(server.output()).toMatch(new RegExp(`"participant":"${sid}".*"msg":"signalling connection vanished"`));
    expect(await reconnectingTile(ana).textContent()).toBe('Reconnecting…');

    const thawedAt = Date.now();
    call.thaw(XSS_NAME);
    // Its tiles keep their last frames until its page has rejoined: the rejoin first, then the video.
    await eventually(
      async () => (await countLines()).slice(seenBefore),
      (lines) => lines.includes('Reconnecting…') && lines.at(-1) === '3 participants online.',
      'the thawed page to reconnect',
      DEADLINE_MS,
    );
    await everyoneSeesEveryone();
    console.log(`thawed browser back in both other pages' grids with video after ${Date.now() - thawedAt} ms`);
    for (const page of [ana, ben]) {
      expect(await reconnectingTile(page).count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { frozenEvents: string[] }).frozenEvents)).toEqual([
        'participantReconnecting:reconnecting',
        'participantReconnected:connected',
      ]);
    }
    // The same participant came back: its SID was kept.
    expect(await frozen.evaluate(() => window.huddleRoom!.localParticipant.sid)).toBe(sid);
  }, 90_000);

  it(`a browser killed outright is reconnecting, then gone from the others' grid and count once its ${RECONNECT_GRACE_MS} ms grace ends`, async () => {
    const ana = call.pages.Ana;
    const sid = await call.pages.Ben.evaluate(() => window.huddleRoom!.localParticipant.sid);
    const count = async () => Number(/^(\d+) participants? online\.$/.exec(await countLine(ana))?.[1] ?? Number.NaN);
    const before = await count();
    const killedAt = Date.now();
    call.kill('Ben');
    // Its socket closed without a goodbye, as when a network drops: the seat is held a while.
    await eventually(
      () => ana.locator('.participant.remote', { hasText: 'Ben' }).locator('.reconnecting').count(),
      (shown) => shown === 1,
      'the dead browser to show as reconnecting',
      10_000,
    );
    await eventually(
      async () => ({ count: await count(), tiles: (await remoteTiles(ana)).map((t) => t.name) }),
      (v) => v.count === before - 1 && !v.tiles.includes('Ben'),
      'the dead browser to vanish',
      RECONNECT_GRACE_MS + 10_000,
    );
    console.log(`killed browser vanished from the other page after ${Date.now() - killedAt} ms`);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(RECONNECT_GRACE_MS);
    // The kernel closed its socket: the server saw it end and never had to wait for a heartbeat.
    expect(server.output()).not.toMatch(new RegExp(`"participant":"${sid}".*"msg":"signalling connection vanished"`));
  }, 60_000);

  it('never wrote a token or the secret to any log', () => {
    const secret = servers[0]!.credentials().keySecret;
    for (const s of servers) {
      expect(s.output()).not.toContain(secret);
      expect(s.output()).not.toMatch(/eyJ[\w-]+\.eyJ/); // a JWT
    }
  });
});
