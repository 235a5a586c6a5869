import { describe, expect, it } from 'vitest';
import { announceAddress, splitCandidates } from '../../src/sfu/engine/sdp';
import { isKeyframeRequest } from '../../src/sfu/rtp/rtcp';
import { isRtcp } from '../../src/sfu/rtp/rtp-header';
import { roomFromPath } from '../../src/web/room-name';

/** An RTCP packet header: version 2, count/format, type, length in 32-bit words minus one. */
function rtcp(type: number, fmt: number, words: number): Buffer {
  const packet = Buffer.alloc((words + 1) * 4);
  packet[0] = 0x80 | fmt;
  packet[1] = type;
  packet.writeUInt16BE(words, 2);
  return packet;
}

describe('RTCP reading in the media engine', () => {
  it('tells RTCP from RTP by the packet type byte', () => {
    expect(isRtcp(rtcp(200, 0, 6))).toBe(true);
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = 96;
    expect(isRtcp(rtp)).toBe(false);
    expect(isRtcp(Buffer.alloc(1))).toBe(false);
  });

  it('finds a PLI or FIR anywhere in a compound packet', () => {
    const receiverReport = rtcp(201, 1, 7);
    expect(isKeyframeRequest(Buffer.concat([receiverReport, rtcp(206, 1, 2)]))).toBe(true);
    expect(isKeyframeRequest(Buffer.concat([receiverReport, rtcp(206, 4, 4)]))).toBe(true);
    expect(isKeyframeRequest(Buffer.concat([receiverReport, rtcp(205, 1, 3)]))).toBe(false); // generic NACK
    expect(isKeyframeRequest(receiverReport)).toBe(false);
    expect(isKeyframeRequest(Buffer.from([0x81, 206]))).toBe(false); // truncated
  });

  it('announces a public address in place of local candidates', () => {
    const sdp = 'v=0\r\nc=IN IP4 10.0.0.5\r\na=candidate:1 1 UDP 2114977791 10.0.0.5 40000 typ host\r\n';
    const announced = announceAddress(sdp, '203.0.113.7');
    expect(announced).toContain('a=candidate:1 1 UDP 2114977791 203.0.113.7 40000 typ host');
    expect(announced).toContain('c=IN IP4 203.0.113.7');
    expect(announceAddress(sdp, undefined)).toBe(sdp);
  });
});

describe('the room in the page address', () => {
  it('comes from /room/<name>, decoded; anything else is My Room', () => {
    expect(roomFromPath('/')).toBe('My Room');
    expect(roomFromPath('/room/standup')).toBe('standup');
    expect(roomFromPath('/room/Z%C3%BCrich%20team/')).toBe('Zürich team');
    expect(roomFromPath('/room/%E0%A4%A')).toBe('%E0%A4%A');
  });
});

import { rtpPayloadOffset } from '../../src/sfu/rtp/rtp-header';
import { isVp8KeyframeStart } from '../../src/sfu/rtp/vp8';

/** An RTP packet with optional CSRCs and header extension, carrying `payload`. */
function rtp(payload: number[], options: { csrcs?: number; extensionWords?: number } = {}): Buffer {
  const csrcs = options.csrcs ?? 0;
  const header = Buffer.alloc(12 + 4 * csrcs);
  header[0] = 0x80 | csrcs | (options.extensionWords !== undefined ? 0x10 : 0);
  header[1] = 96;
  const parts = [header];
  if (options.extensionWords !== undefined) {
    const extension = Buffer.alloc(4 + 4 * options.extensionWords);
    extension.writeUInt16BE(0xbede, 0);
    extension.writeUInt16BE(options.extensionWords, 2);
    parts.push(extension);
  }
  parts.push(Buffer.from(payload));
  return Buffer.concat(parts);
}

describe('VP8 keyframe detection', () => {
  it('finds the payload after CSRCs and header extensions', () => {
    expect(rtpPayloadOffset(rtp([1], { csrcs: 2, extensionWords: 1 }))).toBe(12 + 8 + 8);
    expect(rtpPayloadOffset(Buffer.alloc(8))).toBe(-1);
  });

  it('recognises the first packet of a key frame, with or without descriptor extensions', () => {
    expect(isVp8KeyframeStart(rtp([0x10, 0x00]))).toBe(true); // S=1, PID=0, P=0
    expect(isVp8KeyframeStart(rtp([0x10, 0x01]))).toBe(false); // P=1: an inter frame
    expect(isVp8KeyframeStart(rtp([0x00, 0x00]))).toBe(false); // not the start of a partition
    expect(isVp8KeyframeStart(rtp([0x11, 0x00]))).toBe(false); // partition 1
    // X=1, I=1 with a 15-bit picture id (M=1), L=1, T=1: four descriptor bytes before the tag.
    expect(isVp8KeyframeStart(rtp([0x90, 0xe0, 0x81, 0x23, 0x05, 0x40, 0x00], { extensionWords: 1 }))).toBe(true);
    expect(isVp8KeyframeStart(rtp([0x90, 0xe0, 0x81, 0x23, 0x05, 0x40, 0x01]))).toBe(false);
    // X=1, I=1 with a 7-bit picture id.
    expect(isVp8KeyframeStart(rtp([0x90, 0x80, 0x12, 0x00]))).toBe(true);
    expect(isVp8KeyframeStart(rtp([0x90]))).toBe(false); // truncated
  });

  it('takes the candidates out of an offer, to be given after the answer', () => {
    const sdp =
      'v=0\r\na=candidate:1 1 UDP 2114977791 10.0.0.5 40000 typ host\r\na=mid:pa\r\na=candidate:1 1 UDP 2114977791 10.0.0.5 40000 typ host\r\na=end-of-candidates\r\n';
    expect(splitCandidates(sdp)).toEqual({
      sdp: 'v=0\r\na=mid:pa\r\n',
      candidates: ['candidate:1 1 UDP 2114977791 10.0.0.5 40000 typ host'],
    });
  });
});
