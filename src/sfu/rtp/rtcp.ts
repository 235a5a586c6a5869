/**
 * The RTCP packets the SFU reads and writes, as plain objects (RFC 3550 SR/RR, RFC 4585 generic
 * NACK and PLI, RFC 5104 FIR, REMB (draft-alvestrand-rmcat-remb), transport-wide congestion control
 * feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01)). libdatachannel encrypts and
 * decrypts; the bytes are ours.
 */

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_RTPFB = 205;
export const RTCP_PSFB = 206;
/** RTPFB formats. */
export const FMT_NACK = 1;
export const FMT_TRANSPORT_CC = 15;
/** PSFB formats. */
export const FMT_PLI = 1;
export const FMT_FIR = 4;
export const FMT_AFB = 15;

export interface ReportBlock {
  /** The stream this block reports on. */
  ssrc: number;
  /** Fraction lost since the previous report, 0–255 (of 256). */
  fractionLost: number;
  /** Packets lost since the start (may be negative with duplicates). */
  cumulativeLost: number;
  /** Cycles << 16 | highest sequence number received. */
  extendedHighestSequence: number;
  /** Interarrival jitter, in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP time of the last SR received from this source, 0 if none. */
  lastSenderReport: number;
  /** Delay since that SR, in 1/65536 s. */
  delaySinceLastSenderReport: number;
}

export interface SenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: ReportBlock[];
}

export interface ReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: ReportBlock[];
}

export interface Nack {
  type: 'nack';
  senderSsrc: number;
  mediaSsrc: number;
  /** Every sequence number asked for, from the PID/BLP pairs. */
  sequences: number[];
}

export interface KeyframeRequest {
  type: 'pli' | 'fir';
  senderSsrc: number;
  /** For a FIR, the SSRC named in its first entry. */
  mediaSsrc: number;
}

export interface Remb {
  type: 'remb';
  senderSsrc: number;
  bitrate: number;
  ssrcs: number[];
}

export interface TransportFeedbackPacket {
  type: 'twcc';
  senderSsrc: number;
  mediaSsrc: number;
  /** The raw packet, for whoever reads transport feedback (the per-subscriber estimator). */
  raw: Buffer;
}

export type RtcpPacket = SenderReport | ReceiverReport | Nack | KeyframeRequest | Remb | TransportFeedbackPacket;

function readReportBlocks(packet: Buffer, offset: number, count: number, end: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count && offset + 24 <= end; i++, offset += 24) {
    const lost = packet.readUIntBE(offset + 5, 3);
    blocks.push({
      ssrc: packet.readUInt32BE(offset),
      fractionLost: packet[offset + 4]!,
      cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      extendedHighestSequence: packet.readUInt32BE(offset + 8),
      jitter: packet.readUInt32BE(offset + 12),
      lastSenderReport: packet.readUInt32BE(offset + 16),
      delaySinceLastSenderReport: packet.readUInt32BE(offset + 20),
    });
  }
  return blocks;
}

/** Every packet of a compound RTCP datagram that the SFU acts on; others (SDES, BYE, XR) are skipped. */
export function parseRtcp(packet: Buffer): RtcpPacket[] {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const first = packet[offset]!;
    if (first >> 6 !== 2) break;
    const count = first & 0x1f;
    const type = packet[offset + 1]!;
    const end = offset + (packet.readUInt16BE(offset + 2) + 1) * 4;
    if (end > packet.length) break;
    const at = offset;
    offset = end;
    if (end - at < 8) continue;
    const ssrc = packet.readUInt32BE(at + 4);
    if (type === RTCP_SR && end - at >= 28) {
      packets.push({
        type: 'sr',
        ssrc,
        ntpSeconds: packet.readUInt32BE(at + 8),
        ntpFraction: packet.readUInt32BE(at + 12),
        rtpTimestamp: packet.readUInt32BE(at + 16),
        packetCount: packet.readUInt32BE(at + 20),
        octetCount: packet.readUInt32BE(at + 24),
        reports: readReportBlocks(packet, at + 28, count, end),
      });
    } else if (type === RTCP_RR) {
      packets.push({ type: 'rr', ssrc, reports: readReportBlocks(packet, at + 8, count, end) });
    } else if (end - at >= 12 && (type === RTCP_RTPFB || type === RTCP_PSFB)) {
      const mediaSsrc = packet.readUInt32BE(at + 8);
      if (type === RTCP_RTPFB && count === FMT_NACK) {
        const sequences: number[] = [];
        for (let fci = at + 12; fci + 4 <= end; fci += 4) {
          const pid = packet.readUInt16BE(fci);
          const blp = packet.readUInt16BE(fci + 2);
          sequences.push(pid);
          for (let bit = 0; bit < 16; bit++) if (blp & (1 << bit)) sequences.push((pid + bit + 1) & 0xffff);
        }
        packets.push({ type: 'nack', senderSsrc: ssrc, mediaSsrc, sequences });
      } else if (type === RTCP_RTPFB && count === FMT_TRANSPORT_CC) {
        packets.push({ type: 'twcc', senderSsrc: ssrc, mediaSsrc, raw: packet.subarray(at, end) });
      } else if (type === RTCP_PSFB && count === FMT_PLI) {
        packets.push({ type: 'pli', senderSsrc: ssrc, mediaSsrc });
      } else if (type === RTCP_PSFB && count === FMT_FIR && end - at >= 20) {
        packets.push({ type: 'fir', senderSsrc: ssrc, mediaSsrc: packet.readUInt32BE(at + 12) });
      } else if (
        type === RTCP_PSFB &&
        count === FMT_AFB &&
        end - at >= 20 &&
        packet.toString('latin1', at + 12, at + 16) === 'REMB'
      ) {
        const ssrcCount = packet[at + 16]!;
        const exponent = packet[at + 17]! >> 2;
        const mantissa = ((packet[at + 17]! & 0x03) << 16) | packet.readUInt16BE(at + 18);
        const ssrcs: number[] = [];
        for (let i = 0; i < ssrcCount && at + 24 + 4 * i <= end; i++) ssrcs.push(packet.readUInt32BE(at + 20 + 4 * i));
        packets.push({ type: 'remb', senderSsrc: ssrc, bitrate: mantissa * 2 ** exponent, ssrcs });
      }
    }
  }
  return packets;
}

/** True when a compound packet holds a PLI or a FIR: the receiver needs a keyframe. */
export function isKeyframeRequest(packet: Buffer): boolean {
  return parseRtcp(packet).some((p) => p.type === 'pli' || p.type === 'fir');
}

function header(buffer: Buffer, countOrFormat: number, type: number, padding = 0): void {
  buffer[0] = 0x80 | (padding > 0 ? 0x20 : 0) | countOrFormat;
  buffer[1] = type;
  buffer.writeUInt16BE(buffer.length / 4 - 1, 2);
}

function writeReportBlock(buffer: Buffer, offset: number, block: ReportBlock): void {
  buffer.writeUInt32BE(block.ssrc >>> 0, offset);
  buffer[offset + 4] = Math.max(0, Math.min(255, block.fractionLost));
  const lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost));
  buffer.writeUIntBE(lost < 0 ? lost + 0x1000000 : lost, offset + 5, 3);
  buffer.writeUInt32BE(block.extendedHighestSequence >>> 0, offset + 8);
  buffer.writeUInt32BE(Math.max(0, Math.round(block.jitter)) >>> 0, offset + 12);
  buffer.writeUInt32BE(block.lastSenderReport >>> 0, offset + 16);
  buffer.writeUInt32BE(block.delaySinceLastSenderReport >>> 0, offset + 20);
}

export function buildReceiverReport(ssrc: number, reports: ReportBlock[]): Buffer {
  const blocks = reports.slice(0, 31);
  const buffer = Buffer.alloc(8 + 24 * blocks.length);
  header(buffer, blocks.length, RTCP_RR);
  buffer.writeUInt32BE(ssrc >>> 0, 4);
  blocks.forEach((block, i) => {
    writeReportBlock(buffer, 8 + 24 * i, block);
  });
  return buffer;
}

export function buildSenderReport(report: Omit<SenderReport, 'type'>): Buffer {
  const blocks = report.reports.slice(0, 31);
  const buffer = Buffer.alloc(28 + 24 * blocks.length);
  header(buffer, blocks.length, RTCP_SR);
  buffer.writeUInt32BE(report.ssrc >>> 0, 4);
  buffer.writeUInt32BE(report.ntpSeconds >>> 0, 8);
  buffer.writeUInt32BE(report.ntpFraction >>> 0, 12);
  buffer.writeUInt32BE(report.rtpTimestamp >>> 0, 16);
  buffer.writeUInt32BE(report.packetCount >>> 0, 20);
  buffer.writeUInt32BE(report.octetCount >>> 0, 24);
  blocks.forEach((block, i) => {
    writeReportBlock(buffer, 28 + 24 * i, block);
  });
  return buffer;
}

/** Generic NACKs for these sequence numbers, packed into PID + BLP pairs. */
export function buildNack(senderSsrc: number, mediaSsrc: number, sequences: Iterable<number>): Buffer {
  const pairs: Array<[number, number]> = [];
  const sorted = [...new Set([...sequences].map((s) => s & 0xffff))].sort((a, b) => a - b);
  for (const sequence of sorted) {
    const last = pairs[pairs.length - 1];
    const distance = last ? (sequence - last[0]) & 0xffff : 0;
    if (last && distance >= 1 && distance <= 16) last[1] |= 1 << (distance - 1);
    else pairs.push([sequence, 0]);
  }
  const buffer = Buffer.alloc(12 + 4 * pairs.length);
  header(buffer, FMT_NACK, RTCP_RTPFB);
  buffer.writeUInt32BE(senderSsrc >>> 0, 4);
  buffer.writeUInt32BE(mediaSsrc >>> 0, 8);
  pairs.forEach(([pid, blp], i) => {
    buffer.writeUInt16BE(pid, 12 + 4 * i);
    buffer.writeUInt16BE(blp, 14 + 4 * i);
  });
  return buffer;
}

export function buildPli(senderSsrc: number, mediaSsrc: number): Buffer {
  const buffer = Buffer.alloc(12);
  header(buffer, FMT_PLI, RTCP_PSFB);
  buffer.writeUInt32BE(senderSsrc >>> 0, 4);
  buffer.writeUInt32BE(mediaSsrc >>> 0, 8);
  return buffer;
}

/** REMB: the receiver's estimate of what the sender may send, for these streams. */
export function buildRemb(senderSsrc: number, bitrate: number, ssrcs: number[]): Buffer {
  let exponent = 0;
  let mantissa = Math.max(0, Math.floor(bitrate));
  while (mantissa > 0x3ffff) {
    mantissa >>>= 1;
    exponent++;
  }
  const buffer = Buffer.alloc(20 + 4 * ssrcs.length);
  header(buffer, FMT_AFB, RTCP_PSFB);
  buffer.writeUInt32BE(senderSsrc >>> 0, 4);
  buffer.writeUInt32BE(0, 8);
  buffer.write('REMB', 12, 'latin1');
  buffer[16] = ssrcs.length;
  buffer[17] = (exponent << 2) | (mantissa >> 16);
  buffer.writeUInt16BE(mantissa & 0xffff, 18);
  ssrcs.forEach((ssrc, i) => {
    buffer.writeUInt32BE(ssrc >>> 0, 20 + 4 * i);
  });
  return buffer;
}

/** 64-bit NTP time (RFC 3550 §4) of a Unix time in milliseconds, as seconds and fraction words. */
export function ntpTime(unixMs: number): { ntpSeconds: number; ntpFraction: number } {
  const seconds = Math.floor(unixMs / 1000);
  return {
    ntpSeconds: (seconds + 2_208_988_800) >>> 0,
    ntpFraction: Math.floor(((unixMs - seconds * 1000) / 1000) * 0x100000000) >>> 0,
  };
}

/** The middle 32 bits of an NTP time: what LSR fields carry. */
export const ntpMiddle = (ntpSeconds: number, ntpFraction: number): number =>
  (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
