/** One stream the SFU receives, and what the publisher's connection does with its packets. */
import type { SenderReport } from '../rtp/rtcp.js';
import type { NackRequester } from './nack-requester.js';
import type { ReceiveStatistics } from './receive-statistics.js';

/** One RTP stream the SFU receives: a publication's, or one layer of a video sent in simulcast. */
export interface InboundStream {
  readonly ssrc: number;
  readonly statistics: ReceiveStatistics;
  readonly nack: NackRequester | undefined;
}

/** What the publisher's connection does with each packet before it is forwarded (transport-cc). */
export interface UplinkObserver {
  onPacket(stream: InboundStream, packet: Buffer, nowMs: number): void;
  /** The SFU lost packets of this stream: ask its publisher for them (NACK) now. */
  requestRetransmission(stream: InboundStream, sequences: number[]): void;
  requestKeyframe(stream: InboundStream): void;
}

/** The publisher's last sender report for this track: its NTP ↔ RTP timestamp mapping. */
export interface SenderClock {
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  /** When it arrived, on this process's monotonic clock (ms). */
  atMs: number;
}

/** A publisher's sender report for a stream: its round-trip echo, and its clock for the subscribers' reports. */
export function takeSenderReport(
  stream: { statistics: ReceiveStatistics; senderClock: SenderClock | undefined },
  report: SenderReport,
  atMs: number,
): void {
  stream.statistics.onSenderReport(report.ntpSeconds, report.ntpFraction, atMs);
  stream.senderClock = {
    ntpSeconds: report.ntpSeconds,
    ntpFraction: report.ntpFraction,
    rtpTimestamp: report.rtpTimestamp,
    atMs,
  };
}
