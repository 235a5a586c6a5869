/**
 * The network lab's short version (needs root: network namespaces and tc; CI runs as root, and
 * elsewhere the file is skipped with the reason printed). Each scenario runs through Huddle and
 * as a direct browser-to-browser call on the same shaped link, and Huddle must hold up beside it.
 * Without the SFU's feedback to publishers (transport-cc, receiver reports) a publisher behind
 * 500 kbit/s keeps sending ~1.3 Mbit/s into it and its viewers see 1–3 fps, ~85 % of the time
 * frozen; these assertions pass only when publishers really adapt.
 * A receiver behind 700 kbit/s watching three publishers used to get 0–1 fps, ~95 % frozen (the SFU
 * forwarded every video at its full rate); with simulcast layers it must get all three smoothly.
 * In a room of eight, a receiver behind 2 Mbit/s must see all seven others (whose cameras are
 * light processes sending real VP8 layers: seven browser cameras are more than two cores encode).
 * The full measurements are `npm run bench:network`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabRun, runScenario } from '../../harness/lab';
import { runCrowd } from '../../harness/lab-crowd';
import { lossyViewer, roomOfEight, thinDownlink, thinUplink } from '../../harness/lab-scenarios';
import { labUnavailable } from '../../harness/network-lab';
import { type RunningServer, startServer } from '../../harness/server';

const unavailable = labUnavailable();
if (unavailable) console.log(`network lab skipped: ${unavailable}`);
const timing = { warmupSeconds: 8, seconds: 15 };
let server: RunningServer;

beforeAll(async () => {
  if (unavailable) return;
  server = await startServer({ HOST: '0.0.0.0', HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn' });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const summary = (run: LabRun) =>
  run.views
    .map(
      (v) =>
        `${v.viewer} ← ${v.from}: ${v.fps.toFixed(1)} fps, ${(v.frozen * 100).toFixed(1)} % frozen, ${v.width}×${v.height}, ${v.kbps.toFixed(0)} kbit/s`,
    )
    .join('; ');

describe.skipIf(!!unavailable)('the network lab, beside a direct call on the same link', () => {
  it('a publisher behind a 500 kbit/s uplink: its viewers see it as smoothly as a direct call does', async () => {
    // 20 s, not 15: on busy cores Chrome may drop the top layer for a moment when its estimate
    // dips, and the switch down freezes a viewer ~0.35 s (see inbound-layer.ts), which a direct
    // call without layers does not pay. Over 20 s one such drop stays inside the margin.
    const scenario = thinUplink({ ...timing, seconds: 20 });
    const huddle = await runScenario(scenario, 'huddle', server);
    const p2p = await runScenario(scenario, 'p2p', server);
    console.log(
      `Huddle: ${summary(huddle)}\ndirect: ${summary(p2p)}\nsent: ${JSON.stringify({ huddle: huddle.sent, p2p: p2p.sent })}`,
    );
    const direct = p2p.views.filter((v) => v.from === 'Pub');
    const bestDirectFps = Math.max(...direct.map((v) => v.fps));
    const worstDirectFrozen = Math.max(...direct.map((v) => v.frozen));
    expect(huddle.views.filter((v) => v.from === 'Pub')).toHaveLength(2);
    for (const view of huddle.views.filter((v) => v.from === 'Pub')) {
      expect(view.fps, `${view.viewer}'s frames per second`).toBeGreaterThanOrEqual(Math.min(12, 0.6 * bestDirectFps));
      expect(view.frozen, `${view.viewer}'s frozen time`).toBeLessThanOrEqual(worstDirectFrozen + 0.02);
    }
    // It adapted to the link rather than overshooting it.
    expect(huddle.sent.Pub!.kbps).toBeLessThan(500);
  }, 180_000);

  it('one viewer losing 5 % of packets each way: the others lose nothing, and no keyframe storm', async () => {
    const scenario = lossyViewer(timing);
    const huddle = await runScenario(scenario, 'huddle', server);
    const p2p = await runScenario(scenario, 'p2p', server);
    console.log(`Huddle: ${summary(huddle)}\ndirect: ${summary(p2p)}\nsent: ${JSON.stringify(huddle.sent)}`);
    for (const view of huddle.views.filter((v) => v.viewer !== 'Lossy')) {
      expect(view.frozen, `${view.viewer}'s frozen time`).toBeLessThan(0.01);
      expect(view.fps, `${view.viewer}'s frames per second`).toBeGreaterThan(18);
    }
    const lossy = huddle.views.find((v) => v.viewer === 'Lossy')!;
    const directLossy = p2p.views.find((v) => v.viewer === 'Lossy')!;
    expect(lossy.frozen).toBeLessThanOrEqual(directLossy.frozen + 0.05);
    expect(huddle.sent.Pub!.keyframesPerMinute).toBeLessThanOrEqual(10);
  }, 180_000);

  it('a receiver behind a 700 kbit/s downlink watching three: it gets every video at 12 fps or more, and the others lose nothing', async () => {
    // Measured after 12 s, not 8: the receiver's estimate finds the link by probing it with a bigger
    // layer ~5–8 s after it starts, and that first failed probe can still be freezing a video at
    // 8 s (seen in about one full-suite run in three). \`npm run bench:network\` waits 15 s.
    const scenario = thinDownlink({ ...timing, warmupSeconds: 12 });
    const huddle = await runScenario(scenario, 'huddle', server);
    const p2p = await runScenario(scenario, 'p2p', server);
    console.log(`Huddle: ${summary(huddle)}\ndirect: ${summary(p2p)}\nsent: ${JSON.stringify(huddle.sent)}`);
    const weak = huddle.views.filter((v) => v.viewer === 'Receiver');
    expect(weak).toHaveLength(3);
    for (const view of weak) {
      expect(view.fps, `Receiver ← ${view.from}: frames per second`).toBeGreaterThanOrEqual(12);
      expect(view.frozen, `Receiver ← ${view.from}: frozen time`).toBeLessThanOrEqual(0.05);
    }
    const others = huddle.views.filter((v) => v.viewer !== 'Receiver');
    for (const view of others) {
      expect(view.frozen, `${view.viewer} ← ${view.from}: frozen time`).toBeLessThanOrEqual(0.01);
    }
    // The weak link holds only its own viewer back: the others get the top layer where its
    // publisher sent it all along (Chrome drops a top layer its CPU cannot encode, which on two
    // busy cores it may). Most of them, not each: a good viewer's own estimate may hold one video
    // lower for a while, as Chrome's REMB on these two busy cores falls now and then without loss
    // (seen in about one full-suite run in three).
    const topSent = others.filter((v) => (huddle.sent[v.from]?.streams.find((s) => s.width === 640)?.kbps ?? 0) > 400);
    const atTop = topSent.filter((v) => v.height === 480);
    expect(atTop.length, 'the others at 640×480, of those whose publisher sent it').toBeGreaterThanOrEqual(
      Math.ceil(topSent.length / 2),
    );
  }, 240_000);

  it('a room of eight, one behind a 2 Mbit/s downlink: it sees all seven others at 12 fps or more', async () => {
    const run = await runCrowd(roomOfEight(timing), server);
    console.log(
      `${run.views.map((v) => `${v.from}: ${v.fps.toFixed(1)} fps, ${(v.frozen * 100).toFixed(1)} % frozen, ${v.width}×${v.height}, ${v.kbps.toFixed(0)} kbit/s`).join('; ')}; publishers sent ${run.sentKbps.map((k) => k.toFixed(0)).join(' + ')} kbit/s by layer`,
    );
    expect(run.views).toHaveLength(7);
    for (const view of run.views) {
      expect(view.fps, `${view.from}: frames per second`).toBeGreaterThanOrEqual(12);
      expect(view.frozen, `${view.from}: frozen time`).toBeLessThanOrEqual(0.05);
    }
  }, 180_000);
});
