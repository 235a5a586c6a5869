/**
 * A big room in the network lab: one person in Chromium behind a constrained link, watching the
 * cameras of many others. Two cores cannot encode that many browser cameras, so the others are
 * light processes (HuddleParticipant) sending real VP8 in simulcast layers, as Huddle's SDK sends
 * a 640×480 camera: a clip Chromium encoded once (vp8-clip.ts), looped, each layer at a browser's
 * rate, a keyframe at once when the server asks for one (the next keyframe of the clip). They do
 * not adapt to their own uplinks (theirs are this machine's loopback): what is judged is the
 * server's sharing of the viewer's downlink, by what the viewer's browser decodes.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { eventually } from './call-page';
import { HuddleParticipant } from './huddle-participant';
import { recordPeerConnections, type VideoQuality, watchVideos } from './lab-stats';
import { LabHost, type LabHostOptions } from './network-lab';
import { openSdkPage, sdkJoin } from './sdk-page';
import type { RunningServer } from './server';
import { type EncodedClip, encodeVp8Clip } from './vp8-clip';

export interface CrowdScenario {
  name: string;
  /** How many cameras the viewer watches. */
  publishers: number;
  /** The viewer's link. */
  link: LabHostOptions;
  warmupSeconds: number;
  seconds: number;
}

export interface CrowdRun {
  /** The viewer's view of each camera. */
  views: VideoQuality[];
  /** What the publishers sent, kbit/s per layer summed over them, low to high. */
  sentKbps: number[];
}

/** A 640×480 camera's two layers, at about what Chrome gives them on a good uplink. */
const LAYERS = [
  { width: 320, height: 240, bitrate: 130_000 },
  { width: 640, height: 480, bitrate: 550_000 },
];
const FPS = 24;
/** An 8 s loop with a keyframe every 4 s (a browser makes them only when asked; the loop's start must be one). */
const CLIP = { fps: FPS, frames: 8 * FPS, keyframeEvery: 4 * FPS };

/** Each publisher's place in the clip, per layer: where it is, and a keyframe wanted. */
class ClipPlayer {
  private readonly next: number[];

  constructor(
    private readonly clips: readonly EncodedClip[],
    private readonly participant: HuddleParticipant,
    start: number,
  ) {
    this.next = clips.map(() => start);
    participant.publisher.onKeyframeRequest((layer) => this.skipToKeyframe(layer));
  }

  /** The next keyframe of that layer's clip, sent next: a publisher answers a request at once. */
  private skipToKeyframe(layer: number): void {
    const frames = this.clips[layer]!.frames;
    let i = this.next[layer]!;
    while (!frames[i % frames.length]!.keyframe) i++;
    this.next[layer] = i % frames.length;
  }

  /** Sends each layer's next frame. */
  tick(): void {
    for (const [layer, clip] of this.clips.entries()) {
      const i = this.next[layer]!;
      const frame = clip.frames[i]!;
      this.participant.publisher.send({ layer, keyframe: frame.keyframe, data: frame.data });
      this.next[layer] = (i + 1) % clip.frames.length;
    }
  }
}

async function encodeClips(): Promise<EncodedClip[]> {
  const browser = await launchChromium();
  try {
    return await encodeVp8Clip(browser, LAYERS, CLIP);
  } finally {
    await browser.close();
  }
}

/** Runs the scenario: the publishers join, then the viewer, which is judged over `seconds` after `warmupSeconds`. */
export async function runCrowd(scenario: CrowdScenario, server: RunningServer): Promise<CrowdRun> {
  const clips = await encodeClips();
  const room = `crowd-${scenario.name}-${Date.now()}`;
  const names = Array.from({ length: scenario.publishers }, (_, i) => `Cam ${i + 1}`);
  const publishers: HuddleParticipant[] = [];
  const players: ClipPlayer[] = [];
  let timer: NodeJS.Timeout | undefined;
  let host: LabHost | undefined;
  let browser: Browser | undefined;
  try {
    for (const [i, name] of names.entries()) {
      const participant = new HuddleParticipant({
        signalUrl: server.signalUrl,
        token: await server.token(name, room),
        room,
        identity: name,
        rids: ['h', 'f'],
        subscribe: false,
      });
      publishers.push(participant);
      await participant.joined;
      // Each starts at another place in the clip (a keyframe), so their big frames do not coincide.
      players.push(new ClipPlayer(clips, participant, (i * FPS) % clips[0]!.frames.length));
    }
    timer = setInterval(() => {
      for (const player of players) player.tick();
    }, 1000 / FPS);

    host = LabHost.create(scenario.link);
    const origin = `http://${host.gateway}:${new URL(server.url).port}`;
    browser = await launchChromium({
      executablePath: host.chromium,
      args: [
        `--unsafely-treat-insecure-origin-as-secure=${origin}`,
        '--disable-features=WebRtcHideLocalIpsWithMdns',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE 10.233.*',
      ],
    });
    const page = await openSdkPage(browser, origin, [recordPeerConnections]);
    await sdkJoin(page, { token: await server.token('Viewer', room), room, video: false });
    await eventually(
      async () => (await watchVideos(page, 0, names)).received,
      (views) => views.every((v) => v.width > 0),
      `the viewer to see ${names.length} cameras`,
      60_000,
    ).catch((error: Error) => process.stderr.write(`${scenario.name}: ${error.message.slice(0, 200)}\n`));
    await new Promise((resolve) => setTimeout(resolve, scenario.warmupSeconds * 1000));
    const before = publishers.map((p) => p.publisher.counts.map((c) => c.bytes));
    const started = performance.now();
    const { received } = await watchVideos(page, scenario.seconds, names);
    const seconds = (performance.now() - started) / 1000;
    const sentKbps = LAYERS.map((_, layer) =>
      publishers.reduce(
        (sum, p, i) => sum + ((p.publisher.counts[layer]!.bytes - before[i]![layer]!) * 8) / seconds / 1000,
        0,
      ),
    );
    return { views: received, sentKbps };
  } finally {
    if (timer) clearInterval(timer);
    await browser?.close().catch(() => undefined);
    host?.close();
    for (const participant of publishers) participant.close();
  }
}
