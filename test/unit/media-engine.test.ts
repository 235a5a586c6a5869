import { describe, expect, it } from 'vitest';
import { announceAddress, isKeyframeRequest, isRtcp } from '../../src/sfu/media-engine';
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
