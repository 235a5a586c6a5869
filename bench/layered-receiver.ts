/**
 * What a synthetic subscriber sees of one video it receives in layers, whichever server sends
 * it: whether the stream is continuous (sequence numbers without holes beyond loss, one SSRC),
 * which layer arrives (the picture size of its last keyframe), and each switch of layer (a
 * keyframe of another size). It also writes the receiver report a browser would send on it.
 */
import type { ReportBlock } from '../harness/rtcp-feedback';
import { vp8KeyframeSize } from '../harness/vp8-rtp';

/** Where a VP8 packet's frame starts, and whether a frame starts in it (S bit, partition 0); -1 when cut short. */
function vp8Frame(packet: Buffer): { offset: number; starts: boolean } | undefined {
  let offset = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return undefined;
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  const first = packet[offset++];
  if (first === undefined) return undefined;
  if (first & 0x80) {
    const extension = packet[offset++] ?? 0;
    if (extension & 0x80) offset += (packet[offset] ?? 0) & 0x80 ? 2 : 1;
    if (extension & 0x40) offset++;
    if (extension & 0x30) offset++;
  }
  return offset < packet.length ? { offset, starts: (first & 0x17) === 0x10 } : undefined;
}

export class ReceivedVideo {
  ssrc = 0;
  /** SSRCs seen after the first: a receiver would see a new stream each time. */
  ssrcChanges = 0;
  received = 0;
  /** Sequence numbers skipped and never filled: loss, or a server that numbers with gaps. */
  holes = 0;
  keyframes = 0;
  /** Keyframes whose picture size differs from the one before: a switch of layer. */
  switches = 0;
  /** The height of the last keyframe: which layer arrives (0 before one). */
  height = 0;
  /** When the current layer's first keyframe arrived (performance.now()). */
  heightSinceMs = 0;
  private highest = -1;
  private reported = { highest: -1, holes: 0 };

  onPacket(packet: Buffer, nowMs: number): void {
    if (packet.length < 12 || (packet[1]! >= 192 && packet[1]! <= 223)) return;
    const ssrc = packet.readUInt32BE(8);
    const sequence = packet.readUInt16BE(2);
    if (ssrc !== this.ssrc) {
      if (this.ssrc !== 0) this.ssrcChanges++;
      this.ssrc = ssrc;
      this.highest = -1;
    }
    this.received++;
    if (this.highest < 0) {
      this.highest = sequence;
      this.reported = { highest: sequence - 1, holes: this.holes };
    } else {
      let delta = sequence - (this.highest & 0xffff);
      if (delta > 0x8000) delta -= 0x10000;
      else if (delta < -0x8000) delta += 0x10000;
      if (delta > 0) {
        this.holes += delta - 1;
        this.highest += delta;
      } else if (this.holes > 0) {
        this.holes--; // a late packet fills its hole (these receivers ask for no resends)
      }
    }
    const frame = vp8Frame(packet);
    if (!frame?.starts) return;
    const size = vp8KeyframeSize(packet.subarray(frame.offset));
    if (!size) return;
    this.keyframes++;
    if (size.height !== this.height) {
      if (this.height !== 0) this.switches++;
      this.height = size.height;
      this.heightSinceMs = nowMs;
    }
  }

  /** This stream's block of a receiver report, as RFC 3550 counts (undefined before any packet). */
  reportBlock(): ReportBlock | undefined {
    if (this.highest < 0) return undefined;
    const expected = this.highest - this.reported.highest;
    const lost = this.holes - this.reported.holes;
    this.reported = { highest: this.highest, holes: this.holes };
    return {
      ssrc: this.ssrc,
      fractionLost: expected > 0 ? Math.max(0, lost) / expected : 0,
      cumulativeLost: this.holes,
      extendedHighestSequence: this.highest,
    };
  }
}
