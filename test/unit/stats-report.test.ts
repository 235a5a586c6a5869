/** room.getStats()'s report from each browser's own stats: Chromium's, and Firefox's, which names no media source. */
import { describe, expect, it } from 'vitest';
import type { LocalMediaTrack } from '../../src/sdk/local-track';
import { toStatsReport } from '../../src/sdk/stats-report';

const camera = {
  kind: 'video',
  _sentTrack: { id: 'cam' },
  mediaStreamTrack: { id: 'cam' },
} as unknown as LocalMediaTrack;
const lines = {
  peerConnectionId: 'pc',
  remoteLine: () => undefined,
  localLine: (mid: string) => (mid === 'pv' ? { trackSid: 'MT1', track: camera } : undefined),
};
const report = (entries: Record<string, unknown>[]) =>
  new Map(entries.map((e) => [e.id as string, e])) as unknown as RTCStatsReport;
const outbound = { type: 'outbound-rtp', kind: 'video', mid: 'pv', ssrc: 1, bytesSent: 10, packetsSent: 1 };
const source = {
  type: 'media-source',
  kind: 'video',
  trackIdentifier: 'cam',
  width: 640,
  height: 480,
  framesPerSecond: 24,
};

describe('the local video stats', () => {
  it("reads the capture's size from the media source the outbound stream names (Chromium)", () => {
    const stats = report([
      { ...outbound, id: 'o', mediaSourceId: 's', frameWidth: 320, frameHeight: 240 },
      { ...source, id: 's' },
    ]);
    const [video] = toStatsReport(stats, lines).localVideoTrackStats;
    expect(video).toMatchObject({ captureDimensions: { width: 640, height: 480 }, captureFrameRate: 24 });
    expect(video!.dimensions).toEqual({ width: 320, height: 240 });
  });

  it('finds the media source by its track when the outbound stream names none (Firefox)', () => {
    const stats = report([
      { ...outbound, id: 'o', frameWidth: 320, frameHeight: 240 },
      { ...source, id: 'mediasource_video_0{cam}' },
      { ...source, id: 'other', trackIdentifier: 'someone else', width: 1, height: 1 },
    ]);
    const [video] = toStatsReport(stats, lines).localVideoTrackStats;
    expect(video).toMatchObject({ captureDimensions: { width: 640, height: 480 }, captureFrameRate: 24 });
  });
});
