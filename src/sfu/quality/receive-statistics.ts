/**
 * What the SFU knows of one stream it receives, for the receiver reports it sends back (RFC 3550
 * §6.4.1 and appendix A.3/A.8): highest sequence number with its cycles, packets expected and
 * received, the fraction lost since the last report, interarrival jitter, and the last sender
 * report for the sender's round-trip time. The publisher's congestion control reads loss from
 * deltas of these; libdatachannel's own reports get the fields wrong, so the SFU writes its own.
 */
import type { ReportBlock } from '../rtp/rtcp.js';
import { ntpMiddle } from '../rtp/rtcp.js';
import { SequenceUnwrapper } from '../rtp/rtp-header.js';

export class ReceiveStatistics {
  private readonly unwrapper = new SequenceUnwrapper();
  private base = -1;
  private highest = -1;
  private received = 0;
  private gaps = 0;
  private expectedAtLastReport = 0;
  private receivedAtLastReport = 0;
  private jitter = 0;
  private lastTransit: number | undefined;
  private lastTimestamp = -1;
  private lastSenderReport = 0;
  private lastSenderReportAtMs = 0;

  constructor(
    public ssrc: number,
    /** RTP timestamp units per second: 90,000 for video, 48,000 for Opus. */
    private readonly clockRate: number,
  ) {}

  /**
   * Packets found missing when later ones arrived, whether or not a retransmission brought them
   * afterwards: the link's own loss, which receiver reports hide once NACKs repair it.
   */
  get missed(): number {
    return this.gaps;
  }

  /** Sequence numbers seen so far (the first to the highest). */
  get expected(): number {
    return this.base < 0 ? 0 : this.highest - this.base + 1;
  }

  get hasPackets(): boolean {
    return this.received > 0;
  }

  /** Counts a packet; returns its unwrapped sequence number. */
  onPacket(sequence: number, timestamp: number, arrivalMs: number): number {
    const extended = this.unwrapper.unwrap(sequence);
    if (this.base < 0) this.base = extended;
    this.received++;
    if (extended > this.highest) {
      if (this.highest >= 0) this.gaps += extended - this.highest - 1;
      this.highest = extended;
      // Jitter from the first packet of each frame only, as libwebrtc does: the packets of one
      // frame share a timestamp but leave the sender paced, which is not network jitter.
      if (timestamp !== this.lastTimestamp) {
        const transit = (arrivalMs * this.clockRate) / 1000 - timestamp;
        if (this.lastTransit !== undefined) {
          let d = Math.abs(transit - this.lastTransit);
          // A timestamp that wrapped (2^32) is not a 13-hour jump in transit time.
          if (d > 0x80000000) d = Math.abs(d - 0x100000000);
          this.jitter += (d - this.jitter) / 16;
        }
        this.lastTransit = transit;
        this.lastTimestamp = timestamp;
      }
    }
    return extended;
  }

  onSenderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.lastSenderReport = ntpMiddle(ntpSeconds, ntpFraction);
    this.lastSenderReportAtMs = arrivalMs;
  }

  /** Packets lost so far (expected less received; retransmissions that arrived count as received). */
  get cumulativeLost(): number {
    return this.base < 0 ? 0 : this.highest - this.base + 1 - this.received;
  }

  /** The report block for the next receiver report; starts a new interval for the fraction lost. */
  report(nowMs: number): ReportBlock {
    const expected = this.highest - this.base + 1;
    const expectedInterval = expected - this.expectedAtLastReport;
    const receivedInterval = this.received - this.receivedAtLastReport;
    this.expectedAtLastReport = expected;
    this.receivedAtLastReport = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    // RFC 3550's extended highest sequence number counts cycles from the first packet's.
    const firstCycle = Math.floor(this.base / 0x10000) * 0x10000;
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: expected - this.received,
      extendedHighestSequence: (this.highest - firstCycle) >>> 0,
      jitter: this.jitter,
      lastSenderReport: this.lastSenderReport,
      delaySinceLastSenderReport:
        this.lastSenderReport === 0 ? 0 : Math.round(((nowMs - this.lastSenderReportAtMs) / 1000) * 65536),
    };
  }
}
