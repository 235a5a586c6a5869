/**
 * The synthetic layered publisher's wire format (harness/vp8-rtp.ts, harness/rtcp-feedback.ts):
 * what it writes, read back with the server's own parsers, and the server's RTCP read by it. The
 * bench and the network lab send these packets to Huddle and Janus, so both sides must agree on
 * them byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { wantedLayer } from '../../bench/layer-schedule';
import { ReceivedVideo } from '../../bench/layered-receiver';
import { readFeedback, receiverReport } from '../../harness/rtcp-feedback';
import { CHROME_EXTENSION_IDS, syntheticVp8Frame, Vp8RtpStream, vp8KeyframeSize } from '../../harness/vp8-rtp';
import { buildNack, buildPli, parseRtcp } from '../../src/sfu/rtp/rtcp';
import { findExtension, rtpPayloadOffset } from '../../src/sfu/rtp/rtp-header';
import { readVp8Descriptor, vp8KeyframeSize as serverKeyframeSize } from '../../src/sfu/rtp/vp8';

const ids = CHROME_EXTENSION_IDS;
let transport = 0;
const nextTransport = () => transport++;

describe('Vp8RtpStream', () => {
  it("writes packets the server reads: mid and rid extensions, transport-wide sequence numbers, the VP8 descriptor and a keyframe's size", () => {
    const stream = new Vp8RtpStream(0x1234, 96, '0', 'h', ids);
    const keyframe = syntheticVp8Frame(true, 640, 360, 9900);
    const packets = stream.packetize({ layer: 1, keyframe: true, data: keyframe }, 1000, nextTransport);
    expect(packets.length).toBe(9);
    expect(packets.every((p) => p.length <= 1200)).toBe(true);
    expect(packets.map((p) => (p[1]! & 0x80) !== 0)).toEqual([...Array(8).fill(false), true]);
    const sequences = packets.map((p) => p.readUInt16BE(2));
    expect(sequences.map((s) => (s - sequences[0]!) & 0xffff)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const packet of packets) {
      expect(packet.readUInt32BE(8)).toBe(0x1234);
      const rid = findExtension(packet, ids.rid);
      const mid = findExtension(packet, ids.mid);
      expect(rid !== -1 && packet.toString('latin1', rid.offset, rid.offset + rid.length)).toBe('h');
      expect(mid !== -1 && packet.toString('latin1', mid.offset, mid.offset + mid.length)).toBe('0');
      expect(findExtension(packet, ids.transportCc)).not.toBe(-1);
    }
    const first = readVp8Descriptor(packets[0]!)!;
    expect(first.keyframe).toBe(true);
    expect(first.pictureIdBits).toBe(15);
    expect(first.tl0Offset).toBeGreaterThan(0);
    expect(serverKeyframeSize(packets[0]!, first)).toEqual({ width: 640, height: 360 });
    // Only the first packet of the frame starts it.
    expect(packets.slice(1).every((p) => !readVp8Descriptor(p)!.keyframe)).toBe(true);
    // The payloads put together are the frame.
    const payload = Buffer.concat(packets.map((p) => p.subarray(readVp8Descriptor(p)!.frameOffset)));
    expect(payload.equals(keyframe)).toBe(true);
  });

  it('numbers pictures, TL0PICIDX and timestamps as one stream, and stops naming mid and rid once acknowledged', () => {
    const stream = new Vp8RtpStream(7, 96, '0', 'q', ids);
    const frame = (keyframe: boolean, temporalId: number, atMs: number) =>
      stream.packetize(
        { layer: 0, keyframe, data: syntheticVp8Frame(keyframe, 320, 180, 500), temporalId },
        atMs,
        nextTransport,
      )[0]!;
    const a = frame(true, 0, 0);
    const b = frame(false, 2, 1000 / 15);
    stream.announce = false;
    const c = frame(false, 1, 2000 / 15);
    const [da, db, dc] = [a, b, c].map((p) => readVp8Descriptor(p)!);
    expect((db!.pictureId - da!.pictureId) & 0x7fff).toBe(1);
    expect((dc!.pictureId - db!.pictureId) & 0x7fff).toBe(1);
    // TL0PICIDX moves only with temporal layer 0.
    expect(db!.tl0PicIdx).toBe(da!.tl0PicIdx);
    expect(dc!.tl0PicIdx).toBe(da!.tl0PicIdx);
    expect((b.readUInt32BE(4) - a.readUInt32BE(4)) >>> 0).toBe(6000);
    expect(findExtension(c, ids.rid)).toBe(-1);
    expect(findExtension(c, ids.transportCc)).not.toBe(-1);
    expect(rtpPayloadOffset(c)).toBeLessThan(rtpPayloadOffset(b));
  });

  it("writes VP8 keyframe headers that its own reader and the server's agree on", () => {
    expect(vp8KeyframeSize(syntheticVp8Frame(true, 1280, 720, 100))).toEqual({ width: 1280, height: 720 });
    expect(vp8KeyframeSize(syntheticVp8Frame(false, 1280, 720, 100))).toBeUndefined();
  });
});

describe('readFeedback', () => {
  it("reads the server's PLIs and NACKs, and the report blocks of a receiver report", () => {
    const compound = Buffer.concat([
      receiverReport(1, [{ ssrc: 9, fractionLost: 0.5, cumulativeLost: 3, extendedHighestSequence: 70_000 }]),
      buildPli(1, 42),
      buildNack(1, 43, [100, 101, 117, 300]),
    ]);
    expect(readFeedback(compound)).toEqual([
      { type: 'report', ssrcs: [9] },
      { type: 'pli', mediaSsrc: 42 },
      { type: 'nack', mediaSsrc: 43, sequences: [100, 101, 117, 300] },
    ]);
    const [report] = parseRtcp(compound);
    expect(report).toMatchObject({
      type: 'rr',
      reports: [{ ssrc: 9, fractionLost: 128, cumulativeLost: 3, extendedHighestSequence: 70_000 }],
    });
  });
});

describe('ReceivedVideo', () => {
  it('counts holes, fills them with late packets, and sees a switch as a keyframe of another size', () => {
    const stream = new Vp8RtpStream(5, 96, '0', 'q', ids);
    const video = new ReceivedVideo();
    const send = (keyframe: boolean, height: number) =>
      stream.packetize({ layer: 0, keyframe, data: syntheticVp8Frame(keyframe, height * 2, height, 100) }, 0, () => 0);
    const [a] = send(true, 180);
    const [b] = send(false, 180);
    const [c] = send(false, 180);
    const [d] = send(true, 360);
    video.onPacket(a!, 1);
    video.onPacket(c!, 2);
    expect(video.holes).toBe(1);
    video.onPacket(b!, 3);
    expect(video.holes).toBe(0);
    video.onPacket(d!, 4);
    expect({ switches: video.switches, height: video.height, keyframes: video.keyframes }).toEqual({
      switches: 1,
      height: 360,
      keyframes: 2,
    });
    expect(video.reportBlock()).toMatchObject({ ssrc: 5, cumulativeLost: 0, fractionLost: 0 });
  });
});

describe('wantedLayer', () => {
  it('starts each pair at its own layer, then moves each up one layer a period, at its own phase', () => {
    const schedule = { subscriber: 1, n: 4, layers: 3, periodMs: 1000, startAtMs: undefined as number | undefined };
    expect([0, 2, 3].map((p) => wantedLayer(schedule, p, 0))).toEqual([1, 0, 1]);
    schedule.startAtMs = 10_000;
    // Publisher 2's phase is (1 × 4 + 2) / 16 of the period: it moves at 10,375 ms, then every second.
    expect(wantedLayer(schedule, 2, 10_374)).toBe(0);
    expect(wantedLayer(schedule, 2, 10_375)).toBe(1);
    expect(wantedLayer(schedule, 2, 11_375)).toBe(2);
    expect(wantedLayer(schedule, 2, 12_375)).toBe(0);
  });
});
