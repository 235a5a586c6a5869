import { describe, expect, it } from 'vitest';
import { audioLoudness } from '../../src/sfu/rtp/audio-level';
import { LevelMeter, loudestSpeaker, SPEAKING_THRESHOLD } from '../../src/sfu/speaker-detector';

/** An RTP packet with one-byte header extensions (RFC 8285): [id, bytes] pairs. */
function rtpWithExtensions(elements: [number, number[]][]): Buffer {
  const body: number[] = [];
  for (const [id, bytes] of elements) body.push((id << 4) | (bytes.length - 1), ...bytes);
  while (body.length % 4 !== 0) body.push(0); // padding
  const header = Buffer.alloc(12);
  header[0] = 0x90; // version 2, extension bit
  header[1] = 111;
  const extension = Buffer.alloc(4);
  extension.writeUInt16BE(0xbede, 0);
  extension.writeUInt16BE(body.length / 4, 2);
  return Buffer.concat([header, extension, Buffer.from(body), Buffer.from([0xfc])]);
}

describe('RFC 6464 audio level', () => {
  it('reads the level as loudness 0..127 from the extension with its id, among others', () => {
    expect(audioLoudness(rtpWithExtensions([[1, [0x80 | 20]]]))).toBe(107); // voice, -20 dBov
    expect(
      audioLoudness(
        rtpWithExtensions([
          [3, [1, 2, 3]],
          [1, [127]],
        ]),
      ),
    ).toBe(0); // silence
    expect(audioLoudness(rtpWithExtensions([[2, [5]]]))).toBe(-1); // no level
  });

  it('gives -1 for packets without extensions or truncated ones', () => {
    const plain = Buffer.alloc(20);
    plain[0] = 0x80;
    expect(audioLoudness(plain)).toBe(-1);
    expect(audioLoudness(rtpWithExtensions([[1, [30]]]).subarray(0, 14))).toBe(-1);
  });
});

describe('dominant speaker', () => {
  it('is the loudest above the threshold, and silence keeps the last one', () => {
    expect(
      loudestSpeaker(
        new Map([
          ['PA1', 100],
          ['PA2', 90],
        ]),
        null,
      ),
    ).toBe('PA1');
    // The loudest, not the first in the room.
    expect(
      loudestSpeaker(
        new Map([
          ['PA1', 90],
          ['PA2', 100],
          ['PA3', 95],
        ]),
        'PA1',
      ),
    ).toBe('PA2');
    expect(
      loudestSpeaker(
        new Map([
          ['PA1', 10],
          ['PA2', SPEAKING_THRESHOLD],
        ]),
        'PA2',
      ),
    ).toBe('PA2');
    expect(
      loudestSpeaker(
        new Map([
          ['PA1', 10],
          ['PA2', 20],
        ]),
        null,
      ),
    ).toBeNull();
  });

  it('averages levels between looks and ignores packets without one', () => {
    const meter = new LevelMeter();
    meter.add(100);
    meter.add(80);
    meter.add(-1);
    expect(meter.take()).toBe(90);
    expect(meter.take()).toBe(0);
  });
});
