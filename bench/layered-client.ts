/**
 * A synthetic participant of the bench's simulcast mode, on Huddle or on Janus: it publishes one
 * camera in three layers (bench/synthetic-layers.ts through harness/layered-publisher.ts),
 * receives one layer of everyone else's, asks each server for the layer its schedule says
 * (bench/layer-schedule.ts: Huddle's trackPreferences with the layer's height, Janus's subscriber
 * configure with its substream), and counts what arrives (bench/layered-receiver.ts).
 */
import nodeDataChannel from 'node-datachannel';
import { HuddleParticipant, type Track } from '../harness/huddle-participant';
import { describeWhenGathered, LayeredPublisher } from '../harness/layered-publisher';
import { receiverReport } from '../harness/rtcp-feedback';
import { JanusSession } from './janus-session';
import { type Schedule, wantedLayer } from './layer-schedule';
import { ReceivedVideo } from './layered-receiver';
import type { ClientOptions } from './synthetic-client-options';
import { BENCH_LAYERS, startLayerSource } from './synthetic-layers';

export interface LayeredReport {
  /** Packets the camera sent, every layer. */
  sent: number;
  /** RTP packets received, every line. */
  received: number;
  /** Lines receiving anything. */
  tracks: number;
  holes: number;
  ssrcChanges: number;
  /** Switches seen (a keyframe of another size), and asked for. */
  switches: number;
  asked: number;
  /** Lines not on the layer asked for, now. */
  offTarget: number;
  /** Time lines spent on the layer asked for, and in all, since the start (ms). */
  onTargetMs: number;
  lineMs: number;
  /** How long each switch took from the ask to the first keyframe of the layer (ms), in order. */
  latencies: number[];
  /** Keyframe requests the camera had, and keyframes it sent. */
  keyframeRequests: number;
  keyframes: number;
}

export interface LayeredParticipant {
  report(): LayeredReport;
  /** Switching starts at this Date.now() time. */
  startSwitching(atMs: number): void;
  close(): void;
}

const TICK_MS = 100;
const REPORT_MS = 1000;
export const SWITCH_PERIOD_MS = 5000;

/** A receiving line and the publisher it carries (-1 until known). */
interface Line {
  video: ReceivedVideo;
  publisher: number;
  /** The layer last asked for (-1: none yet), and when. */
  asked: number;
  askedAtMs: number;
  /** A switch asked for that has not arrived yet. */
  pending: boolean;
}

/** The index in a bench identity (`bench-3` → 3), or -1. */
const indexOf = (identity: string | undefined) => Number(/^bench-(\d+)$/.exec(identity ?? '')?.[1] ?? -1);

/**
 * What both servers' participants share: the lines, the schedule, the asking and the counting.
 * `ask` sends the server a request for a layer of one line.
 */
class Subscriptions {
  readonly lines = new Map<string, Line>();
  readonly schedule: Schedule;
  private readonly totals = { asked: 0, onTargetMs: 0, lineMs: 0 };
  private readonly latencies: number[] = [];
  private lastTickMs = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    options: ClientOptions,
    private readonly ask: (mid: string, layer: number) => boolean,
    private readonly publisherOf: (mid: string) => number,
  ) {
    this.schedule = {
      subscriber: options.index,
      n: options.n,
      layers: BENCH_LAYERS.length,
      periodMs: options.switchPeriodMs ?? SWITCH_PERIOD_MS,
      startAtMs: undefined,
    };
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** The receiving line `mid` (a new one on its first packet). */
  line(mid: string): Line {
    let line = this.lines.get(mid);
    if (!line) {
      line = { video: new ReceivedVideo(), publisher: -1, asked: -1, askedAtMs: 0, pending: false };
      this.lines.set(mid, line);
    }
    return line;
  }

  private tick(): void {
    const nowMs = performance.now();
    const elapsed = nowMs - this.lastTickMs;
    this.lastTickMs = nowMs;
    for (const [mid, line] of this.lines) {
      if (line.publisher < 0) line.publisher = this.publisherOf(mid);
      if (line.publisher < 0) continue;
      const wanted = wantedLayer(this.schedule, line.publisher, Date.now());
      const arrived = line.video.height === BENCH_LAYERS[wanted]!.height;
      if (line.video.received > 0) {
        this.totals.lineMs += elapsed;
        if (arrived) this.totals.onTargetMs += elapsed;
      }
      if (line.pending && arrived) {
        line.pending = false;
        this.latencies.push(Math.max(0, line.video.heightSinceMs - line.askedAtMs));
      }
      if (wanted === line.asked || !this.ask(mid, wanted)) continue;
      // The first ask of a line is where it starts, not a switch.
      if (line.asked >= 0) {
        this.totals.asked++;
        line.pending = !arrived;
      }
      line.asked = wanted;
      line.askedAtMs = nowMs;
    }
  }

  report(sent: number, keyframeRequests: number, keyframes: number): LayeredReport {
    let received = 0;
    let tracks = 0;
    let holes = 0;
    let ssrcChanges = 0;
    let switches = 0;
    let offTarget = 0;
    for (const line of this.lines.values()) {
      const video = line.video;
      received += video.received;
      if (video.received > 0) tracks++;
      holes += video.holes;
      ssrcChanges += video.ssrcChanges;
      switches += video.switches;
      if (line.asked < 0 || video.height !== BENCH_LAYERS[line.asked]!.height) offTarget++;
    }
    return {
      sent,
      received,
      tracks,
      holes,
      ssrcChanges,
      switches,
      asked: this.totals.asked,
      offTarget,
      onTargetMs: this.totals.onTargetMs,
      lineMs: this.totals.lineMs,
      latencies: this.latencies,
      keyframeRequests,
      keyframes,
    };
  }

  close(): void {
    clearInterval(this.timer);
  }
}

const sum = (publisher: LayeredPublisher, key: 'packets' | 'resent' | 'keyframeRequests' | 'keyframes') =>
  publisher.counts.reduce((total, layer) => total + layer[key], 0);

export function joinHuddleLayered(options: ClientOptions): LayeredParticipant {
  let subscriptions: Subscriptions | undefined;
  const participant = new HuddleParticipant({
    signalUrl: options.url,
    token: options.token,
    room: options.room,
    identity: options.identity,
    bindAddress: options.bindAddress,
    onTrack: (track: Track) => {
      const line = subscriptions!.line(track.mid());
      track.onMessage((packet) => line.video.onPacket(packet, performance.now()));
    },
  });
  subscriptions = new Subscriptions(
    options,
    (mid, layer) => {
      const trackSid = participant.lines.get(mid)?.trackSid;
      if (!trackSid) return false;
      participant.send({ type: 'trackPreferences', trackSid, renderHeight: BENCH_LAYERS[layer]!.height });
      return true;
    },
    (mid) => indexOf(participant.identities.get(participant.lines.get(mid)?.participantSid ?? '')),
  );
  participant.onMessage((message) => {
    if (message.type === 'error')
      console.error(`${options.identity}: server error ${message.code}: ${message.message}`);
  });
  const source = startLayerSource(participant.publisher);
  // A browser's receiver reports, one per line a second: Huddle's estimate of this downlink rests on them.
  const reportSsrc = 0x5eed0000 + options.index;
  const reports = setInterval(() => {
    for (const line of subscriptions!.lines.values()) {
      const block = line.video.reportBlock();
      if (block) participant.sendRtcp(receiverReport(reportSsrc, [block]));
    }
  }, REPORT_MS);
  const publisher = participant.publisher;
  return {
    report: () =>
      subscriptions!.report(
        sum(publisher, 'packets') + sum(publisher, 'resent'),
        sum(publisher, 'keyframeRequests'),
        sum(publisher, 'keyframes'),
      ),
    startSwitching: (atMs) => {
      subscriptions!.schedule.startAtMs = atMs;
    },
    close: () => {
      clearInterval(reports);
      source.stop();
      subscriptions!.close();
      participant.close();
    },
  };
}

export function joinJanusLayered(options: ClientOptions): LayeredParticipant {
  const janus = new JanusSession(options.url);
  const publisher = new LayeredPublisher({ name: `${options.identity}-pub`, bindAddress: options.bindAddress });
  const source = startLayerSource(publisher);
  const subscriberPc = new nodeDataChannel.PeerConnection(`${options.identity}-sub`, {
    iceServers: [],
    disableAutoNegotiation: true,
    bindAddress: options.bindAddress,
  });
  /** Which feed's display name each of the subscriber connection's mids carries. */
  const displays = new Map<string, string>();
  let subscriberHandle: number | undefined;
  const subscriptions = new Subscriptions(
    options,
    (mid, layer) => {
      if (subscriberHandle === undefined) return false;
      janus
        .message(subscriberHandle, { request: 'configure', streams: [{ mid, substream: layer }] })
        .catch((error: Error) => console.error(`${options.identity}: configure failed: ${error.message}`));
      return true;
    },
    (mid) => indexOf(displays.get(mid)),
  );
  // Referenced for as long as they are used: a collected Track stops its callbacks.
  const tracks: Track[] = [];
  subscriberPc.onTrack((track) => {
    tracks.push(track);
    track.setMediaHandler(new nodeDataChannel.RtcpReceivingSession());
    const line = subscriptions.line(track.mid());
    track.onMessage((packet) => line.video.onPacket(packet, performance.now()));
  });
  const room = Number(options.room);

  const run = async () => {
    await janus.create();
    const publisherHandle = await janus.attach();
    await janus.message(publisherHandle, { request: 'join', ptype: 'publisher', room, display: options.identity });
    const published = await janus.message(
      publisherHandle,
      { request: 'publish', audio: false, video: true },
      // Our rids are listed low to high (Janus's default order is high to low, as janus.js offers).
      { type: 'offer', sdp: await publisher.offer(), trickle: false, rid_order: 'lmh' },
    );
    publisher.accept(published.jsep!.sdp);

    await janus.feedsAtLeast(options.n - 1);
    subscriberHandle = await janus.attach();
    const feeds = [...janus.feeds];
    const attached = await janus.message(subscriberHandle, {
      request: 'join',
      ptype: 'subscriber',
      room,
      // Each feed from the layer the schedule starts it at, as Huddle's first trackPreferences does.
      streams: feeds.map(([feed, display]) => ({
        feed,
        substream: wantedLayer(subscriptions.schedule, indexOf(display), Date.now()),
      })),
    });
    for (const stream of attached.plugindata?.data.streams ?? []) {
      if (stream.feed_display !== undefined) displays.set(stream.mid, stream.feed_display);
    }
    subscriberPc.setRemoteDescription(attached.jsep!.sdp, 'offer');
    const answer = await describeWhenGathered(subscriberPc, 'answer');
    await janus.message(subscriberHandle, { request: 'start' }, { type: 'answer', sdp: answer, trickle: false });
  };
  run().catch((error: Error) => console.error(`${options.identity}: Janus join failed: ${error.message}`));
  return {
    report: () =>
      subscriptions.report(
        sum(publisher, 'packets') + sum(publisher, 'resent'),
        sum(publisher, 'keyframeRequests'),
        sum(publisher, 'keyframes'),
      ),
    startSwitching: (atMs) => {
      subscriptions.schedule.startAtMs = atMs;
    },
    close: () => {
      source.stop();
      subscriptions.close();
      janus.close();
      publisher.close();
      subscriberPc.close();
    },
  };
}
