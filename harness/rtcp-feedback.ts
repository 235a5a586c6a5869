/**
 * The RTCP a synthetic client reads and writes (RFC 3550 receiver reports, RFC 4585 NACK and PLI,
 * RFC 5104 FIR), on its own rather than with the server's parser, so that the client checks the
 * server instead of agreeing with it.
 */

export type Feedback =
  | { type: 'pli'; mediaSsrc: number }
  | { type: 'fir'; mediaSsrcs: number[] }
  | { type: 'nack'; mediaSsrc: number; sequences: number[] }
  /** A receiver or sender report: the SSRCs its report blocks are about. */
  | { type: 'report'; ssrcs: number[] };

/** The feedback in one compound RTCP packet; what it does not know is skipped. */
export function readFeedback(packet: Buffer): Feedback[] {
  const found: Feedback[] = [];
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const count = packet[offset]! & 0x1f;
    const type = packet[offset + 1]!;
    const end = offset + 4 * (packet.readUInt16BE(offset + 2) + 1);
    if ((packet[offset]! & 0xc0) !== 0x80 || end > packet.length) break;
    if (type === 200 || type === 201) {
      const first = offset + (type === 200 ? 28 : 8);
      const ssrcs: number[] = [];
      for (let i = 0; i < count && first + 24 * (i + 1) <= end; i++) ssrcs.push(packet.readUInt32BE(first + 24 * i));
      found.push({ type: 'report', ssrcs });
    } else if (type === 205 && count === 1 && end - offset >= 12) {
      const sequences: number[] = [];
      for (let at = offset + 12; at + 4 <= end; at += 4) {
        const first = packet.readUInt16BE(at);
        const mask = packet.readUInt16BE(at + 2);
        sequences.push(first);
        for (let bit = 0; bit < 16; bit++) if (mask & (1 << bit)) sequences.push((first + bit + 1) & 0xffff);
      }
      found.push({ type: 'nack', mediaSsrc: packet.readUInt32BE(offset + 8), sequences });
    } else if (type === 206 && count === 1 && end - offset >= 12) {
      found.push({ type: 'pli', mediaSsrc: packet.readUInt32BE(offset + 8) });
    } else if (type === 206 && count === 4 && end - offset >= 12) {
      const mediaSsrcs: number[] = [];
      for (let at = offset + 12; at + 8 <= end; at += 8) mediaSsrcs.push(packet.readUInt32BE(at));
      found.push({ type: 'fir', mediaSsrcs });
    }
    offset = end;
  }
  return found;
}

/** What a receiver says of one stream in a report block. */
export interface ReportBlock {
  ssrc: number;
  /** Lost since the last report, 0–1. */
  fractionLost: number;
  cumulativeLost: number;
  /** Cycles in the high 16 bits, the highest sequence number in the low 16. */
  extendedHighestSequence: number;
}

/** A receiver report (RFC 3550 §6.4.2) from `senderSsrc` with these blocks (at most 31); no jitter, no LSR echo. */
export function receiverReport(senderSsrc: number, blocks: readonly ReportBlock[]): Buffer {
  const report = Buffer.alloc(8 + 24 * blocks.length);
  report[0] = 0x80 | blocks.length;
  report[1] = 201;
  report.writeUInt16BE(report.length / 4 - 1, 2);
  report.writeUInt32BE(senderSsrc >>> 0, 4);
  blocks.forEach((block, i) => {
    const at = 8 + 24 * i;
    report.writeUInt32BE(block.ssrc >>> 0, at);
    report[at + 4] = Math.min(255, Math.floor(block.fractionLost * 256));
    report.writeUIntBE(Math.max(0, Math.min(0x7fffff, block.cumulativeLost)), at + 5, 3);
    report.writeUInt32BE(block.extendedHighestSequence >>> 0, at + 8);
  });
  return report;
}
