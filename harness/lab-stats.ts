/**
 * What a person sees of each video, from the browser's own statistics (inbound-rtp): frames
 * decoded per second, the share of time frozen, resolution, bitrate; and what a publisher sends
 * (outbound-rtp: bitrate, keyframes, why its quality is limited). The same measure for calls
 * through Huddle and for direct browser-to-browser calls, so they can be set side by side.
 */
import type { Page } from 'playwright-core';

/**
 * Runs in the page before its own scripts: keeps every RTCPeerConnection the page makes, so the
 * lab can read its statistics whatever opened it (Huddle's SDK or a direct call).
 */
export function recordPeerConnections(): void {
  const w = window as unknown as { __labPeers: RTCPeerConnection[] };
  if (w.__labPeers) return;
  w.__labPeers = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      w.__labPeers.push(this);
    }
  } as typeof RTCPeerConnection;
}

interface VideoSample {
  /** The remote track's id. */
  track: string;
  /** Whose video it is, when the page knows (Huddle's SDK, or a label a direct call set). */
  from: string;
  at: number;
  framesDecoded: number;
  keyFramesDecoded: number;
  freezeCount: number;
  totalFreezesDuration: number;
  width: number;
  height: number;
  bytesReceived: number;
  packetsLost: number;
  nackCount: number;
  pliCount: number;
}

interface SendSample {
  /** Each sent stream (a connection's, or a simulcast layer's) is counted on its own. */
  ssrc: string;
  at: number;
  bytesSent: number;
  framesEncoded: number;
  keyFramesEncoded: number;
  width: number;
  limitation: string;
  nackCount: number;
  pliCount: number;
}

function readSamples(): Promise<{ received: VideoSample[]; sent: SendSample[] }> {
  const w = window as unknown as {
    __labPeers?: RTCPeerConnection[];
    __labLabels?: Record<string, string>;
    huddleRoom?: {
      participants: Map<
        string,
        { identity: string; videoTracks: Map<string, { track: { mediaStreamTrack: MediaStreamTrack } | null }> }
      >;
    };
  };
  const labelOf = (trackId: string): string => {
    for (const participant of w.huddleRoom?.participants.values() ?? []) {
      for (const publication of participant.videoTracks.values()) {
        if (publication.track?.mediaStreamTrack.id === trackId) return participant.identity;
      }
    }
    return w.__labLabels?.[trackId] ?? trackId;
  };
  return Promise.all(
    (w.__labPeers ?? []).filter((pc) => pc.connectionState !== 'closed').map((pc) => pc.getStats()),
  ).then((reports) => {
    const received: VideoSample[] = [];
    const sent: SendSample[] = [];
    for (const report of reports) {
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          const track = String(s.trackIdentifier ?? s.id);
          received.push({
            track,
            from: labelOf(track),
            at: Number(s.timestamp),
            framesDecoded: Number(s.framesDecoded ?? 0),
            keyFramesDecoded: Number(s.keyFramesDecoded ?? 0),
            freezeCount: Number(s.freezeCount ?? 0),
            totalFreezesDuration: Number(s.totalFreezesDuration ?? 0),
            width: Number(s.frameWidth ?? 0),
            height: Number(s.frameHeight ?? 0),
            bytesReceived: Number(s.bytesReceived ?? 0),
            packetsLost: Number(s.packetsLost ?? 0),
            nackCount: Number(s.nackCount ?? 0),
            pliCount: Number(s.pliCount ?? 0),
          });
        } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
          sent.push({
            ssrc: String(s.ssrc),
            at: Number(s.timestamp),
            bytesSent: Number(s.bytesSent ?? 0),
            framesEncoded: Number(s.framesEncoded ?? 0),
            keyFramesEncoded: Number(s.keyFramesEncoded ?? 0),
            width: Number(s.frameWidth ?? 0),
            limitation: String(s.qualityLimitationReason ?? 'none'),
            nackCount: Number(s.nackCount ?? 0),
            pliCount: Number(s.pliCount ?? 0),
          });
        }
      });
    }
    return { received, sent };
  });
}

export interface VideoQuality {
  from: string;
  fps: number;
  /** Share of the window with no new frame shown: Chrome's freezes, a stall still going at the end, or no video at all. */
  frozen: number;
  width: number;
  height: number;
  kbps: number;
  keyframes: number;
  /** Packets this viewer lost, NACKs and PLIs it sent, in the window. */
  lost: number;
  nacks: number;
  plis: number;
}

export interface SendQuality {
  kbps: number;
  fps: number;
  keyframesPerMinute: number;
  width: number;
  /** The reason Chrome gave most often: none, bandwidth, cpu. */
  limitation: string;
  plis: number;
  nacks: number;
  /** Each stream it sent (a simulcast layer, or a direct call's per viewer): its width at the end and its kbit/s over the window. */
  streams: Array<{ width: number; kbps: number }>;
}

/** What changed between two samples, per video received: frames, freeze, keyframes, loss, kbit/s, size. */
function describeSample(
  before: { received: VideoSample[] },
  after: { received: VideoSample[] },
  startedMs: number,
): string {
  const parts = after.received.map((now) => {
    const was = before.received.find((r) => r.track === now.track);
    if (!was) return `${now.from}: new`;
    const seconds = Math.max(0.001, (now.at - was.at) / 1000);
    return `${now.from}: ${now.framesDecoded - was.framesDecoded}f ${((now.totalFreezesDuration - was.totalFreezesDuration) * 1000).toFixed(0)}ms-frozen ${now.keyFramesDecoded - was.keyFramesDecoded}kf ${now.packetsLost - was.packetsLost}lost ${(((now.bytesReceived - was.bytesReceived) * 8) / seconds / 1000).toFixed(0)}k ${now.height}p`;
  });
  return `+${((Date.now() - startedMs) / 1000).toFixed(1)}s (${Date.now()}) ${parts.join(' | ')}`;
}

/** A stall counts once no frame came for this long (Chrome's freeze threshold is at least 150 ms over the average). */
const STALL_MS = 500;
const SAMPLE_MS = 500;

/**
 * Watches a page's videos for `seconds`, sampling twice a second. `expect` names the videos the
 * person should be seeing: one that never shows counts as frozen throughout.
 */
export async function watchVideos(
  page: Page,
  seconds: number,
  expect: string[] = [],
  /** For diagnosis: each sample's change per video, as a line (HUDDLE_LAB_TIMELINE in the lab). */
  timeline?: (line: string) => void,
): Promise<{ received: VideoQuality[]; sent: SendQuality | undefined }> {
  const samples: Array<{ received: VideoSample[]; sent: SendSample[] }> = [];
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    samples.push(await page.evaluate(readSamples));
    if (timeline && samples.length > 1) timeline(describeSample(samples.at(-2)!, samples.at(-1)!, started));
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
  samples.push(await page.evaluate(readSamples));
  // The window is what the browser's own clock saw, from the first sample to the last.
  const times = samples.flatMap((s) => [...s.received, ...s.sent].map((r) => r.at));
  const windowMs = times.length > 1 ? Math.max(...times) - Math.min(...times) : Date.now() - started;
  const received = new Map<string, VideoQuality>();
  const tracks = new Set(samples.flatMap((s) => s.received.map((r) => r.track)));
  for (const track of tracks) {
    const series = samples.map((s) => s.received.find((r) => r.track === track)).filter((r): r is VideoSample => !!r);
    const first = series[0]!;
    const last = series[series.length - 1]!;
    const seconds = Math.max(0.001, (last.at - first.at) / 1000);
    // A stall still going at the end is not yet in totalFreezesDuration: count it from the samples.
    let stallFrom = last.at;
    for (let i = series.length - 1; i > 0 && series[i]!.framesDecoded === series[i - 1]!.framesDecoded; i--) {
      stallFrom = series[i - 1]!.at;
    }
    const ongoing = last.at - stallFrom >= STALL_MS ? (last.at - stallFrom) / 1000 : 0;
    const missing = Math.max(0, windowMs / 1000 - seconds); // the video arrived late in the window
    const frozenSeconds = last.totalFreezesDuration - first.totalFreezesDuration + ongoing + missing;
    const quality: VideoQuality = {
      from: last.from,
      fps: (last.framesDecoded - first.framesDecoded) / (windowMs / 1000),
      frozen: Math.min(1, frozenSeconds / (windowMs / 1000)),
      width: last.width,
      height: last.height,
      kbps: ((last.bytesReceived - first.bytesReceived) * 8) / seconds / 1000,
      keyframes: last.keyFramesDecoded - first.keyFramesDecoded,
      lost: last.packetsLost - first.packetsLost,
      nacks: last.nackCount - first.nackCount,
      plis: last.pliCount - first.pliCount,
    };
    const existing = received.get(quality.from);
    if (!existing || existing.fps < quality.fps) received.set(quality.from, quality);
  }
  for (const name of expect) {
    if (!received.has(name))
      received.set(name, {
        from: name,
        fps: 0,
        frozen: 1,
        width: 0,
        height: 0,
        kbps: 0,
        keyframes: 0,
        lost: 0,
        nacks: 0,
        plis: 0,
      });
  }
  // What the publisher puts on its uplink: every stream it sends (a direct call's one per viewer,
  // Huddle's one per simulcast layer), each measured between its own first and last sample.
  const firstSent = samples.find((s) => s.sent.length > 0);
  const lastSent = [...samples].reverse().find((s) => s.sent.length > 0);
  let sent: SendQuality | undefined;
  if (firstSent && lastSent && firstSent !== lastSent) {
    const streams = lastSent.sent
      .map((last) => ({ last, first: firstSent.sent.find((f) => f.ssrc === last.ssrc) }))
      .filter((pair): pair is { last: SendSample; first: SendSample } => pair.first !== undefined);
    const seconds = (pair: { first: SendSample; last: SendSample }) =>
      Math.max(0.001, (pair.last.at - pair.first.at) / 1000);
    const sum = (value: (pair: { first: SendSample; last: SendSample }) => number) =>
      streams.reduce((n, pair) => n + value(pair), 0);
    // Frames and keyframes of the stream that encoded most (the top layer a viewer sees).
    const top = [...streams].sort(
      (a, b) => b.last.framesEncoded - b.first.framesEncoded - (a.last.framesEncoded - a.first.framesEncoded),
    )[0];
    const reasons = new Map<string, number>();
    for (const sample of samples.flatMap((s) => s.sent))
      reasons.set(sample.limitation, (reasons.get(sample.limitation) ?? 0) + 1);
    if (top) {
      sent = {
        kbps: sum((p) => ((p.last.bytesSent - p.first.bytesSent) * 8) / seconds(p) / 1000),
        fps: (top.last.framesEncoded - top.first.framesEncoded) / seconds(top),
        keyframesPerMinute: ((top.last.keyFramesEncoded - top.first.keyFramesEncoded) * 60) / seconds(top),
        width: Math.max(...streams.map((p) => p.last.width)),
        limitation: [...reasons.entries()].sort((a, b) => b[1] - a[1])[0]![0],
        plis: sum((p) => p.last.pliCount - p.first.pliCount),
        nacks: sum((p) => p.last.nackCount - p.first.nackCount),
        streams: streams.map((p) => ({
          width: p.last.width,
          kbps: ((p.last.bytesSent - p.first.bytesSent) * 8) / seconds(p) / 1000,
        })),
      };
    }
  }
  return { received: [...received.values()].filter((q) => expect.length === 0 || expect.includes(q.from)), sent };
}
