/** Network quality: the grading, what each verbosity shows, the room's relay, and the browser-side meter. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../src/protocol/messages';
import {
  atVerbosity,
  bandwidthLevel,
  jitterLevel,
  lossLevel,
  type NetworkQualityStats,
  rttLevel,
  worstOf,
} from '../../src/protocol/network-quality';
import { NetworkQualityRelay } from '../../src/rooms/network-quality-relay';
import { NetworkQualityMeter } from '../../src/sdk/network-quality-meter';

describe('grading', () => {
  it('gives 5 to a clean link and 0 to an unusable one, on each measure', () => {
    expect([0, 0.015, 0.04, 0.08, 0.15, 0.5].map(lossLevel)).toEqual([5, 4, 3, 2, 1, 0]);
    expect([40, 200, 300, 500, 1000, 3000].map(rttLevel)).toEqual([5, 4, 3, 2, 1, 0]);
    expect([5, 40, 60, 100, 150, 500].map(jitterLevel)).toEqual([5, 4, 3, 2, 1, 0]);
    expect([2000, 700, 400, 250, 100, 20].map((k) => bandwidthLevel(k, 'video'))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(bandwidthLevel(100, 'audio')).toBe(5);
    expect(worstOf([5, null, 3, undefined])).toBe(3);
    expect(worstOf([])).toBe(5);
  });

  it('shows at each verbosity what twilio-video shows', () => {
    const detail = { bandwidth: null, latency: { jitter: 3, rtt: 40, level: 5 }, fractionLost: null };
    const stats: NetworkQualityStats = {
      level: 3,
      audio: { send: 5, recv: 3, sendStats: detail, recvStats: detail },
      video: null,
    };
    expect(atVerbosity(stats, 0)).toBeNull();
    expect(atVerbosity(stats, 1)).toEqual({ level: 3, audio: null, video: null });
    expect(atVerbosity(stats, 2)).toEqual({
      level: 3,
      audio: { send: 5, recv: 3, sendStats: null, recvStats: null },
      video: null,
    });
    expect(atVerbosity(stats, 3)).toBe(stats);
  });
});

describe("the room's relay", () => {
  afterEach(() => vi.useRealTimers());

  it('passes each report on at most once a second, the newest one, and greets newcomers with the latest', () => {
    vi.useFakeTimers();
    const inbox = (sid: string) => {
      const messages: ServerMessage[] = [];
      return { participantSid: sid, messages, send: (m: ServerMessage) => messages.push(m) };
    };
    const ann = inbox('PA1');
    const bob = inbox('PA2');
    const members = [ann, bob];
    const relay = new NetworkQualityRelay(() => members);
    const at = (level: number): NetworkQualityStats => ({ level, audio: null, video: null });
    relay.report(ann, at(5), Date.now());
    relay.report(ann, at(4), Date.now());
    relay.report(ann, at(2), Date.now());
    expect(bob.messages).toEqual([{ type: 'networkQuality', participantSid: 'PA1', stats: at(5) }]);
    expect(ann.messages).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(bob.messages.map((m) => (m.type === 'networkQuality' ? m.stats.level : -1))).toEqual([5, 2]);
    const cal = inbox('PA3');
    relay.greet(cal);
    expect(cal.messages).toEqual([{ type: 'networkQuality', participantSid: 'PA1', stats: at(2) }]);
    relay.forget(ann);
    relay.greet(cal);
    expect(cal.messages).toHaveLength(1);
  });
});

describe('the meter', () => {
  /** An RTCStatsReport of one sending and one receiving video line, with these counts. */
  const report = (
    at: number,
    sent: number,
    received: number,
    lost: number,
    serverSeesLost: number,
    limited = false,
    available = 1_500_000,
  ) =>
    new Map<string, Record<string, unknown>>([
      [
        'pair',
        {
          id: 'pair',
          type: 'candidate-pair',
          nominated: true,
          state: 'succeeded',
          currentRoundTripTime: 0.02,
          availableOutgoingBitrate: available,
        },
      ],
      [
        'out',
        {
          id: 'out',
          type: 'outbound-rtp',
          mid: 'pv',
          timestamp: at,
          bytesSent: sent,
          remoteId: 'rin',
          qualityLimitationReason: limited ? 'bandwidth' : 'none',
        },
      ],
      [
        'rin',
        { id: 'rin', type: 'remote-inbound-rtp', fractionLost: serverSeesLost, jitter: 0.002, roundTripTime: 0.02 },
      ],
      [
        'in',
        {
          id: 'in',
          type: 'inbound-rtp',
          mid: 'v1',
          timestamp: at,
          bytesReceived: received,
          packetsReceived: received / 1000,
          packetsLost: lost,
          jitter: 0.004,
        },
      ],
    ]) as unknown as RTCStatsReport;
  const lines = { sending: (mid: string) => (mid === 'pv' ? 'video' : undefined), receiving: () => 'video' as const };

  it('grades a clean link 5, and loss seen on arrival when the server reports none of its own link', () => {
    const meter = new NetworkQualityMeter(lines);
    meter.measure(report(0, 0, 0, 0, 0), true);
    const clean = meter.measure(report(2000, 250_000, 250_000, 0, 0), true);
    expect(clean.level).toBe(5);
    expect(clean.video?.sendStats?.bandwidth?.actual).toBe(1_000_000);
    // 25 of 275 packets lost on arrival: 9 %.
    expect(meter.measure(report(4000, 500_000, 500_000, 25, 0), true).video?.recv).toBe(2);
    // The server says its link to this page lost nothing: the loss was the publisher's.
    meter.noteLinkLoss(null, 0);
    expect(meter.measure(report(6000, 750_000, 750_000, 50, 0), true).level).toBe(5);
    // What this page sends, the server receives with 15 % lost (its reports say; or, before NACKs repaired it, the server says).
    expect(meter.measure(report(8000, 1_000_000, 1_000_000, 50, 0.15), true).video?.send).toBe(1);
    meter.noteLinkLoss(0.12, 0);
    expect(meter.measure(report(9000, 1_100_000, 1_100_000, 50, 0), true).video?.send).toBe(1);
    meter.noteLinkLoss(null, 0);
    // A low estimate counts only while the browser says it holds the video back.
    expect(meter.measure(report(10000, 1_250_000, 1_250_000, 50, 0, false, 80_000), true).level).toBe(5);
    expect(meter.measure(report(12000, 1_500_000, 1_500_000, 50, 0, true, 300_000), true).video?.send).toBe(2);
    expect(meter.measure(report(14000, 1_750_000, 1_750_000, 50, 0), false).level).toBe(0);
  });
});
