/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1), written by the SFU for what a publisher sends: the arrival time of every packet by its
 * transport-wide sequence number. The publisher's own congestion controller (Chrome's GCC) turns
 * the arrival times into a delay signal and the gaps into loss, and so finds what its uplink
 * carries. libdatachannel has no transport-cc, so this is ours.
 */
import { FMT_TRANSPORT_CC, RTCP_RTPFB } from '../rtp/rtcp.js';
import { SequenceUnwrapper } from '../rtp/rtp-header.js';

/** Receive deltas are in 250 µs ticks; the reference time in 64 ms units (24 bits). */
const DELTA_TICK_US = 250;
const REFERENCE_TICK_US = 64_000;
/** A feedback packet covers at most this many sequence numbers, which keeps it well under an MTU. */
const MAX_STATUS_PER_PACKET = 400;
/** Older packets than this behind the newest one are forgotten unreported. */
const MAX_WINDOW = 0x7fff;

const NOT_RECEIVED = 0;
const SMALL_DELTA = 1;
const LARGE_DELTA = 2;

export class TransportFeedbackRecorder {
  private readonly unwrapper = new SequenceUnwrapper();
  /**
   * Arrival times in µs by sequence number modulo 2^16 (NaN: none): the window stays under 2^15,
   * so no two live entries share a slot. A typed array, not a Map: this runs for every packet.
   */
  private readonly arrivals = new Float64Array(0x10000).fill(Number.NaN);
  private count = 0;
  /** The lowest sequence number not yet reported; -1 before the first packet. */
  private nextToReport = -1;
  private highest = -1;
  private feedbackCount = 0;

  /** One packet arrived; `arrivalUs` on a monotonic clock. */
  record(transportSequence: number, arrivalUs: number): void {
    const sequence = this.unwrapper.unwrap(transportSequence);
    if (this.nextToReport < 0) this.nextToReport = sequence;
    // Late for feedback already sent, or a duplicate: GCC has its answer for it.
    if (sequence < this.nextToReport) return;
    // Keep the window under 2^15 before this packet takes its slot.
    if (sequence - this.nextToReport > MAX_WINDOW) this.forgetBefore(sequence - MAX_WINDOW);
    if (this.has(sequence)) return;
    this.arrivals[sequence & 0xffff] = arrivalUs;
    this.count++;
    if (sequence > this.highest) this.highest = sequence;
  }

  /** True when packets arrived since the last feedback. */
  get pending(): boolean {
    return this.count > 0;
  }

  private has(sequence: number): boolean {
    return !Number.isNaN(this.arrivals[sequence & 0xffff]!);
  }

  private take1(sequence: number): number {
    const slot = sequence & 0xffff;
    const arrival = this.arrivals[slot]!;
    if (!Number.isNaN(arrival)) {
      this.arrivals[slot] = Number.NaN;
      this.count--;
    }
    return arrival;
  }

  /** The feedback packets for everything since the last call (none when nothing arrived). */
  take(senderSsrc: number, mediaSsrc: number): Buffer[] {
    const packets: Buffer[] = [];
    while (this.count > 0 && this.nextToReport <= this.highest) {
      const packet = this.buildOne(senderSsrc, mediaSsrc);
      if (!packet) break;
      packets.push(packet);
    }
    return packets;
  }

  private forgetBefore(sequence: number): void {
    if (sequence - this.nextToReport >= 0x10000) {
      this.arrivals.fill(Number.NaN);
      this.count = 0;
    } else {
      for (let s = this.nextToReport; s < sequence; s++) this.take1(s);
    }
    this.nextToReport = sequence;
  }

  private buildOne(senderSsrc: number, mediaSsrc: number): Buffer | undefined {
    // Losses before the first packet that arrived are reported too: they are what GCC counts as loss.
    let first = this.nextToReport;
    while (first <= this.highest && !this.has(first)) first++;
    if (first > this.highest) return undefined;
    // A loss burst longer than a packet holds is reported in part: its end is what matters to GCC.
    const base = Math.max(this.nextToReport, first - MAX_STATUS_PER_PACKET / 2);
    const referenceTicks = Math.floor(this.arrivals[first & 0xffff]! / REFERENCE_TICK_US);
    let previousUs = referenceTicks * REFERENCE_TICK_US;
    const symbols: number[] = [];
    const deltas: number[] = [];
    let sequence = base;
    for (; sequence <= this.highest && symbols.length < MAX_STATUS_PER_PACKET; sequence++) {
      const arrival = this.arrivals[sequence & 0xffff]!;
      if (Number.isNaN(arrival)) {
        symbols.push(NOT_RECEIVED);
        continue;
      }
      const ticks = Math.round((arrival - previousUs) / DELTA_TICK_US);
      if (ticks < -0x8000 || ticks > 0x7fff) break; // over ±8 s: the next packet takes a new reference
      symbols.push(ticks >= 0 && ticks <= 0xff ? SMALL_DELTA : LARGE_DELTA);
      deltas.push(ticks);
      // Deltas chain from the time the receiver will reconstruct, so rounding never accumulates.
      previousUs += ticks * DELTA_TICK_US;
      this.take1(sequence);
    }
    // Trailing losses wait: the packets may yet arrive.
    while (symbols.length > 0 && symbols[symbols.length - 1] === NOT_RECEIVED) {
      symbols.pop();
      sequence--;
    }
    this.nextToReport = sequence;
    return encode(senderSsrc, mediaSsrc, base & 0xffff, referenceTicks, this.feedbackCount++ & 0xff, symbols, deltas);
  }
}

/** Run-length chunks for long runs of one symbol, two-bit status vectors (7 symbols) otherwise. */
function chunksOf(symbols: number[]): number[] {
  const chunks: number[] = [];
  let i = 0;
  while (i < symbols.length) {
    let run = 1;
    while (i + run < symbols.length && symbols[i + run] === symbols[i] && run < 0x1fff) run++;
    if (run >= 7) {
      chunks.push((symbols[i]! << 13) | run);
      i += run;
      continue;
    }
    let chunk = 0xc000; // status vector, two-bit symbols
    for (let k = 0; k < 7; k++) chunk |= (symbols[i + k] ?? NOT_RECEIVED) << (12 - 2 * k);
    chunks.push(chunk);
    i += 7;
  }
  return chunks;
}

function encode(
  senderSsrc: number,
  mediaSsrc: number,
  baseSequence: number,
  referenceTicks: number,
  feedbackCount: number,
  symbols: number[],
  deltas: number[],
): Buffer {
  const chunks = chunksOf(symbols);
  const deltaBytes = deltas.reduce((n, d) => n + (d >= 0 && d <= 0xff ? 1 : 2), 0);
  const unpadded = 20 + 2 * chunks.length + deltaBytes;
  const padding = (4 - (unpadded % 4)) % 4;
  const buffer = Buffer.alloc(unpadded + padding);
  buffer[0] = 0x80 | (padding > 0 ? 0x20 : 0) | FMT_TRANSPORT_CC;
  buffer[1] = RTCP_RTPFB;
  buffer.writeUInt16BE(buffer.length / 4 - 1, 2);
  buffer.writeUInt32BE(senderSsrc >>> 0, 4);
  buffer.writeUInt32BE(mediaSsrc >>> 0, 8);
  buffer.writeUInt16BE(baseSequence, 12);
  buffer.writeUInt16BE(symbols.length, 14);
  buffer.writeUIntBE(referenceTicks & 0xffffff, 16, 3);
  buffer[19] = feedbackCount;
  let offset = 20;
  for (const chunk of chunks) {
    buffer.writeUInt16BE(chunk, offset);
    offset += 2;
  }
  for (const delta of deltas) {
    if (delta >= 0 && delta <= 0xff) buffer[offset++] = delta;
    else {
      buffer.writeInt16BE(delta, offset);
      offset += 2;
    }
  }
  if (padding > 0) buffer[buffer.length - 1] = padding;
  return buffer;
}

/** Reads a feedback packet back (for tests and for the SFU's own estimates of what subscribers get). */
export function parseTransportFeedback(packet: Buffer): {
  baseSequence: number;
  referenceUs: number;
  feedbackCount: number;
  /** Per sequence number from the base: arrival in µs from the reference, or null when lost. */
  arrivals: Array<number | null>;
} {
  const baseSequence = packet.readUInt16BE(12);
  const statusCount = packet.readUInt16BE(14);
  const referenceUs = packet.readIntBE(16, 3) * REFERENCE_TICK_US;
  const feedbackCount = packet[19]!;
  const symbols: number[] = [];
  let offset = 20;
  while (symbols.length < statusCount) {
    const chunk = packet.readUInt16BE(offset);
    offset += 2;
    if ((chunk & 0x8000) === 0) {
      const symbol = (chunk >> 13) & 0x3;
      for (let k = 0; k < (chunk & 0x1fff) && symbols.length < statusCount; k++) symbols.push(symbol);
    } else if ((chunk & 0x4000) === 0) {
      for (let k = 0; k < 14 && symbols.length < statusCount; k++) symbols.push((chunk >> (13 - k)) & 0x1);
    } else {
      for (let k = 0; k < 7 && symbols.length < statusCount; k++) symbols.push((chunk >> (12 - 2 * k)) & 0x3);
    }
  }
  let time = referenceUs;
  const arrivals = symbols.map((symbol) => {
    if (symbol === NOT_RECEIVED) return null;
    if (symbol === SMALL_DELTA) time += packet[offset++]! * DELTA_TICK_US;
    else {
      time += packet.readInt16BE(offset) * DELTA_TICK_US;
      offset += 2;
    }
    return time;
  });
  return { baseSequence, referenceUs, feedbackCount, arrivals };
}
