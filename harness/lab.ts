/**
 * Calls in the network lab, each run twice on the same shaped link: through Huddle, and as a
 * direct browser-to-browser RTCPeerConnection call (what libwebrtc achieves end to end, the
 * baseline). People here use Huddle's SDK script directly (no page UI, no microphone: two cores
 * are the other bottleneck), and the judged publisher has a camera that really uses bandwidth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { eventually } from './call-page';
import { type Colour, writeColourY4m } from './fake-camera';
import { writeLabCamera } from './lab-camera';
import { recordPeerConnections, type SendQuality, type VideoQuality, watchVideos } from './lab-stats';
import { LabHost, type LabHostOptions } from './network-lab';
import { openSdkPage, sdkJoin } from './sdk-page';
import type { RunningServer } from './server';

export interface LabPerson {
  name: string;
  /** The link this person is behind; on this machine's own network when absent. */
  link?: LabHostOptions;
  /** Publishes the lab camera (a high-entropy picture); otherwise a solid colour, or nothing. */
  camera: 'lab' | Colour | 'none';
}

export interface LabRun {
  system: 'huddle' | 'p2p';
  /** Each viewer's view of each video: `${viewer} ← ${publisher}`. */
  views: Array<VideoQuality & { viewer: string }>;
  /** What each publisher sent. */
  sent: Record<string, SendQuality | undefined>;
}

interface Participant {
  person: LabPerson;
  host: LabHost | undefined;
  browser: Browser;
  page: Page;
}

const TINTS: Array<[number, number]> = [
  [90, 200],
  [200, 90],
  [60, 60],
];

/** The address this person reaches the server at, and the switches that make it a secure origin. */
function origin(server: RunningServer, host: LabHost | undefined): string {
  const port = new URL(server.url).port;
  return host ? `http://${host.gateway}:${port}` : `http://127.0.0.1:${port}`;
}

async function open(people: LabPerson[], server: RunningServer, dir: string): Promise<Participant[]> {
  const participants: Participant[] = [];
  for (const [i, person] of people.entries()) {
    const host = person.link ? LabHost.create(person.link) : undefined;
    const home = origin(server, host);
    const videoFile =
      person.camera === 'lab'
        ? writeLabCamera(dir, person.name, { tint: TINTS[i % TINTS.length] })
        : writeColourY4m(dir, person.camera === 'none' ? 'red' : person.camera, 320, 240);
    const browser = await launchChromium({
      videoFile,
      ...(host ? { executablePath: host.chromium } : {}),
      args: [
        `--unsafely-treat-insecure-origin-as-secure=${home}`,
        // Raw host candidates, not mDNS names that nothing here could resolve.
        '--disable-features=WebRtcHideLocalIpsWithMdns',
        // As every test browser, resolving no name at all; the lab's own addresses are reached by number.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE 10.233.*',
      ],
    });
    const page = await openSdkPage(browser, home, [recordPeerConnections]);
    participants.push({ person, host, browser, page });
  }
  return participants;
}

async function close(participants: Participant[]): Promise<void> {
  await Promise.allSettled(participants.map((p) => p.browser.close()));
  for (const p of participants) p.host?.close();
}

/** Joins everyone through Huddle, publishers first. */
async function joinHuddle(participants: Participant[], server: RunningServer, room: string): Promise<void> {
  for (const { person, page } of participants) {
    await sdkJoin(page, { token: await server.token(person.name, room), room, video: person.camera !== 'none' });
  }
}

/**
 * The same people called directly: each viewer has one RTCPeerConnection to each publisher, over
 * the same links (the runner carries the SDP, gathered in full, no trickle).
 */
async function joinDirect(participants: Participant[]): Promise<void> {
  const publishers = participants.filter((p) => p.person.camera !== 'none');
  for (const publisher of publishers) {
    for (const viewer of participants) {
      if (viewer === publisher) continue;
      const offer = await publisher.page.evaluate(async (to) => {
        const w = window as unknown as { __labCamera?: MediaStream; __labOut: Record<string, RTCPeerConnection> };
        w.__labCamera ??= await navigator.mediaDevices.getUserMedia({
          video: { width: 640, height: 480, frameRate: 24 },
        });
        w.__labOut ??= {};
        const pc = new RTCPeerConnection();
        w.__labOut[to] = pc;
        for (const track of w.__labCamera.getVideoTracks()) pc.addTrack(track, w.__labCamera);
        await pc.setLocalDescription(await pc.createOffer());
        await new Promise<void>((resolve) => {
          if (pc.iceGatheringState === 'complete') return resolve();
          pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        });
        return pc.localDescription!.sdp;
      }, viewer.person.name);
      const answer = await viewer.page.evaluate(
        async ({ from, sdp }) => {
          const w = window as unknown as {
            __labIn: Record<string, RTCPeerConnection>;
            __labLabels: Record<string, string>;
          };
          w.__labIn ??= {};
          w.__labLabels ??= {};
          const pc = new RTCPeerConnection();
          w.__labIn[from] = pc;
          pc.addEventListener('track', (event) => {
            w.__labLabels[event.track.id] = from;
            const element = document.createElement('video');
            element.muted = true;
            element.autoplay = true;
            element.style.width = '160px';
            element.srcObject = new MediaStream([event.track]);
            document.getElementById('videos')!.appendChild(element);
          });
          await pc.setRemoteDescription({ type: 'offer', sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          await new Promise<void>((resolve) => {
            if (pc.iceGatheringState === 'complete') return resolve();
            pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
          });
          return pc.localDescription!.sdp;
        },
        { from: publisher.person.name, sdp: offer },
      );
      await publisher.page.evaluate(
        ({ to, sdp }) =>
          (window as unknown as { __labOut: Record<string, RTCPeerConnection> }).__labOut[to]!.setRemoteDescription({
            type: 'answer',
            sdp,
          }),
        { to: viewer.person.name, sdp: answer },
      );
    }
  }
}

export interface LabScenario {
  name: string;
  people: LabPerson[];
  /** Whose videos are judged, and by whom: every viewer's view of these publishers. */
  judged: string[];
  /** Seconds to let congestion control settle before measuring, and to measure. */
  warmupSeconds: number;
  seconds: number;
}

/** Runs one scenario on one system; the hosts are made for the run and removed after it. */
export async function runScenario(
  scenario: LabScenario,
  system: 'huddle' | 'p2p',
  server: RunningServer,
): Promise<LabRun> {
  const dir = mkdtempSync(join(tmpdir(), 'huddle-lab-run-'));
  const participants = await open(scenario.people, server, dir);
  try {
    const room = `lab-${scenario.name}-${Date.now()}`;
    if (system === 'huddle') await joinHuddle(participants, server, room);
    else await joinDirect(participants);
    const viewers = participants.filter((p) => scenario.people.some((q) => q.name === p.person.name));
    // Every viewer sees every judged video before the clock starts, or a minute passes: a link too
    // thin for what it is sent may never show a frame, and then the measure says so (fully frozen).
    for (const viewer of viewers) {
      const expected = scenario.judged.filter((name) => name !== viewer.person.name);
      await eventually(
        async () => (await watchVideos(viewer.page, 0, expected)).received,
        (views) => views.every((v) => v.width > 0),
        `${viewer.person.name} to see ${expected.join(', ')}`,
        60_000,
      ).catch((error: Error) => process.stderr.write(`${scenario.name} (${system}): ${error.message.slice(0, 200)}\n`));
    }
    await new Promise((resolve) => setTimeout(resolve, scenario.warmupSeconds * 1000));
    const watched = await Promise.all(
      participants.map((p) =>
        watchVideos(
          p.page,
          scenario.seconds,
          scenario.judged.filter((name) => name !== p.person.name),
          process.env.HUDDLE_LAB_TIMELINE === p.person.name
            ? (line) => process.stderr.write(`${system} ${p.person.name} ${line}\n`)
            : undefined,
        ),
      ),
    );
    const views: LabRun['views'] = [];
    const sent: LabRun['sent'] = {};
    participants.forEach((p, i) => {
      for (const view of watched[i]!.received) views.push({ ...view, viewer: p.person.name });
      if (p.person.camera !== 'none') sent[p.person.name] = watched[i]!.sent;
    });
    return { system, views, sent };
  } finally {
    await close(participants);
    rmSync(dir, { recursive: true, force: true });
  }
}
