/** The SFU's own RTCP: what it writes reads back as the same numbers, and what Chrome sends is understood. */
import { describe, expect, it } from 'vitest';
import { NackRequester } from '../../src/sfu/quality/nack-requester';
import { ReceiveStatistics } from '../../src/sfu/quality/receive-statistics';
import { parseTransportFeedback, TransportFeedbackRecorder } from '../../src/sfu/quality/transport-feedback';
import {
  buildNack,
  buildPli,
  buildReceiverReport,
  buildRemb,
  buildSenderReport,
  ntpMiddle,
  ntpTime,
  parseRtcp,
} from '../../src/sfu/rtp/rtcp';
import { findExtension, SequenceUnwrapper, transportSequence } from '../../src/sfu/rtp/rtp-header';

/** An RTP packet with one-byte header extensions (id → bytes). */
function rtp(sequence: number, extensions: Record<number, number[]> = {}): Buffer {
  const elements = Object.entries(extensions).flatMap(([id, bytes]) => [
    (Number(id) << 4) | (bytes.length - 1),
    ...bytes,
  ]);
  const words = Math.ceil(elements.length / 4);
  const packet = Buffer.alloc(12 + (words > 0 ? 4 + 4 * words : 0) + 10);
  packet[0] = 0x80 | (words > 0 ? 0x10 : 0);
  packet[1] = 96;
  packet.writeUInt16BE(sequence, 2);
  packet.writeUInt32BE(1234, 8);
  if (words > 0) {
    packet.writeUInt16BE(0xbede, 12);
    packet.writeUInt16BE(words, 14);
    Buffer.from(elements).copy(packet, 16);
  }
  return packet;
}

describe('RTP header extensions', () => {
  it('finds the transport-wide sequence number among other one-byte elements', () => {
    const packet = rtp(7, { 1: [0x85], 3: [0x12, 0x34], 5: [1, 2, 3] });
    expect(transportSequence(packet, 3)).toBe(0x1234);
    expect(findExtension(packet, 5)).toEqual({ offset: 22, length: 3 });
    expect(transportSequence(packet, 4)).toBe(-1);
    expect(transportSequence(rtp(8), 3)).toBe(-1);
  });

  it('unwraps sequence numbers across the 16-bit wrap and reordering', () => {
    const u = new SequenceUnwrapper();
    expect([65534, 65535, 0, 65533, 1, 2].map((s) => u.unwrap(s))).toEqual([65534, 65535, 65536, 65533, 65537, 65538]);
  });
});

describe('RTCP packets', () => {
  it('a receiver report reads back field by field, including negative cumulative loss', () => {
    const block = {
      ssrc: 0xdeadbeef,
      fractionLost: 64,
      cumulativeLost: -3,
      extendedHighestSequence: 0x0001_0005,
      jitter: 37,
      lastSenderReport: 0x12345678,
      delaySinceLastSenderReport: 65536,
    };
    const [report] = parseRtcp(buildReceiverReport(42, [block]));
    expect(report).toEqual({ type: 'rr', ssrc: 42, reports: [block] });
  });

  it('a sender report, a PLI and a NACK in one compound packet', () => {
    const sr = {
      ssrc: 9,
      ...ntpTime(1_700_000_000_500),
      rtpTimestamp: 90_000,
      packetCount: 10,
      octetCount: 12_000,
      reports: [],
    };
    const compound = Buffer.concat([
      buildSenderReport(sr),
      buildPli(1, 2),
      buildNack(1, 2, [100, 101, 117, 300, 65535, 0]),
    ]);
    const parsed = parseRtcp(compound);
    expect(parsed[0]).toEqual({ type: 'sr', ...sr });
    expect(parsed[1]).toEqual({ type: 'pli', senderSsrc: 1, mediaSsrc: 2 });
    expect(parsed[2]!.type).toBe('nack');
    expect((parsed[2] as { sequences: number[] }).sequences.sort((a, b) => a - b)).toEqual([
      0, 100, 101, 117, 300, 65535,
    ]);
  });

  it('NTP times: the fraction is the sub-second part, the middle 32 bits are what LSR echoes', () => {
    const t = ntpTime(Date.UTC(2026, 0, 1, 0, 0, 0, 250));
    expect(t.ntpFraction).toBe(0x40000000);
    expect(ntpMiddle(t.ntpSeconds, t.ntpFraction)).toBe((((t.ntpSeconds & 0xffff) << 16) | 0x4000) >>> 0);
  });

  it('REMB keeps the bitrate within its 18-bit mantissa', () => {
    const [remb] = parseRtcp(buildRemb(5, 1_234_567, [7, 8]));
    expect(remb!.type).toBe('remb');
    const { bitrate, ssrcs } = remb as { bitrate: number; ssrcs: number[] };
    expect(Math.abs(bitrate - 1_234_567) / 1_234_567).toBeLessThan(0.001);
    expect(ssrcs).toEqual([7, 8]);
  });
});

describe('transport-wide congestion control feedback', () => {
  it('reports every packet with its arrival time, losses as lost, in 250 µs steps', () => {
    const recorder = new TransportFeedbackRecorder();
    const sent = [
      [65533, 1_000_000],
      [65534, 1_001_000],
      [0, 1_010_250], // 65535 lost; wraps
      [1, 1_004_000], // reordered: arrives "before" its predecessor, a negative delta
      [2, 1_400_000], // a large delta
    ] as const;
    for (const [sequence, at] of sent) recorder.record(sequence, at);
    const packets = recorder.take(11, 22);
    expect(packets).toHaveLength(1);
    const [rtcp] = parseRtcp(packets[0]!);
    expect(rtcp).toMatchObject({ type: 'twcc', senderSsrc: 11, mediaSsrc: 22 });
    const feedback = parseTransportFeedback(packets[0]!);
    expect(feedback.baseSequence).toBe(65533);
    expect(feedback.arrivals).toEqual([1_000_000, 1_001_000, null, 1_010_250, 1_004_000, 1_400_000]);
    expect(recorder.take(11, 22)).toEqual([]);
    recorder.record(3, 1_401_000);
    const next = parseTransportFeedback(recorder.take(11, 22)[0]!);
    expect(next.baseSequence).toBe(3);
    expect(next.feedbackCount).toBe(feedback.feedbackCount + 1);
  });

  it('a long run of losses is one run-length chunk, and the packet stays whole 32-bit words', () => {
    const recorder = new TransportFeedbackRecorder();
    recorder.record(10, 5_000_000);
    recorder.record(60, 5_100_000);
    const packet = recorder.take(1, 2)[0]!;
    expect(packet.length % 4).toBe(0);
    const feedback = parseTransportFeedback(packet);
    expect(feedback.arrivals).toHaveLength(51);
    expect(feedback.arrivals.filter((a) => a !== null)).toEqual([5_000_000, 5_100_000]);
  });
});

describe('receive statistics for receiver reports', () => {
  it('counts loss per interval and in total, with cycles, and echoes the last sender report', () => {
    const stats = new ReceiveStatistics(99, 90_000);
    let t = 0;
    for (const s of [65530, 65531, 65533, 65534, 0, 1, 3]) stats.onPacket(s, 3000 * (t + 1), 1000 + 33 * t++);
    stats.onSenderReport(0x0001_2345, 0x6789_0000, 1100);
    const report = stats.report(1600);
    expect(report.extendedHighestSequence).toBe(0x0001_0003);
    expect(report.cumulativeLost).toBe(3); // 65532, 65535, 2
    expect(report.fractionLost).toBe(Math.floor((3 * 256) / 10));
    expect(report.lastSenderReport).toBe(0x2345_6789);
    expect(report.delaySinceLastSenderReport).toBe(Math.round(0.5 * 65536));
    stats.onPacket(4, 30_000, 1700);
    expect(stats.report(1800).fractionLost).toBe(0);
  });

  it('jitter grows with irregular arrival and stays near zero for regular arrival', () => {
    const regular = new ReceiveStatistics(1, 90_000);
    const irregular = new ReceiveStatistics(2, 90_000);
    for (let i = 0; i < 100; i++) {
      regular.onPacket(i, i * 3000, i * (1000 / 30));
      irregular.onPacket(i, i * 3000, i * (1000 / 30) + (i % 2) * 20);
    }
    expect(regular.report(10_000).jitter).toBeLessThan(1);
    expect(irregular.report(10_000).jitter).toBeGreaterThan(1000); // ~20 ms at 90 kHz is 1800
  });
});

describe('NACK requests to a publisher', () => {
  it('asks for a gap at once, again each round trip, and forgets what arrived or grew too old', () => {
    const nack = new NackRequester({ maxRequests: 3, maxAgeMs: 1000, minIntervalMs: 20, maxGap: 100 });
    expect(nack.onPacket(10, 0)).toEqual([]);
    expect(nack.onPacket(13, 5)).toEqual([11, 12]);
    expect(nack.due(30, 50)).toEqual([]); // a round trip has not passed
    expect(nack.due(60, 50)).toEqual([11, 12]);
    expect(nack.onPacket(11, 70)).toEqual([]); // the retransmission
    expect(nack.due(120, 50)).toEqual([12]);
    expect(nack.due(200, 50)).toEqual([]); // asked three times: given up
    expect(nack.missingCount).toBe(0);
    expect(nack.onPacket(500, 300)).toBe('too-many');
  });
});

describe('transport feedback over a long stream', () => {
  it('keeps up across the 16-bit wrap and after a jump, reporting only what is in the window', () => {
    const recorder = new TransportFeedbackRecorder();
    let reported = 0;
    for (let i = 0; i < 70_000; i++) {
      recorder.record(i & 0xffff, i * 1000);
      if (i % 50 === 49) for (const p of recorder.take(1, 2)) reported += parseTransportFeedback(p).arrivals.length;
    }
    expect(reported).toBe(70_000);
    recorder.record(40_000, 80_000_000); // read as 30,000 behind the last: late, dropped
    recorder.record(70_036 & 0xffff, 80_001_000); // 36 lost, then one
    const tail = recorder.take(1, 2).flatMap((p) => parseTransportFeedback(p).arrivals);
    expect(tail).toHaveLength(37);
    expect(tail.filter((a) => a !== null)).toHaveLength(1);
  });
});
