/**
 * What the SFU tells a publisher about what it sends, on that publisher's connection: transport-cc
 * feedback (every packet's arrival time, for the publisher's delay-based congestion control),
 * receiver reports (loss, jitter, and the echo of its sender reports for its round trip time),
 * NACKs for packets that did not arrive, and keyframe requests (PLI).
 */

import { TRANSPORT_CC_EXTENSION_ID } from '../rtp/extensions.js';
import { buildNack, buildPli, buildReceiverReport } from '../rtp/rtcp.js';
import { transportSequence } from '../rtp/rtp-header.js';
import { newSsrc } from '../sids.js';
import type { InboundStream, UplinkObserver } from './inbound-stream.js';
import { TransportFeedbackRecorder } from './transport-feedback.js';

/**
 * libwebrtc sends transport feedback every 50–250 ms (100 by default). Every 100 ms, with what
 * else is due in the same datagram: each RTCP send is an SRTCP encryption and a sendto, and at
 * 50 ms they cost the forwarding bench a tenth more CPU per packet in small rooms (measured).
 */
const TRANSPORT_FEEDBACK_INTERVAL_MS = 100;
/** A compound RTCP datagram stays well under a path MTU. */
const MAX_COMPOUND_BYTES = 1200;
const RECEIVER_REPORT_INTERVAL_MS = 1000;
/** Until a round trip is measured, NACKs are repeated as if it were this (ms). */
const DEFAULT_RTT_MS = 100;

export interface UplinkContext {
  /** The streams received on this connection now (the participant's publications, or one video's layers). */
  publications(): Iterable<InboundStream>;
  /** Sends RTCP on the participant's connection. */
  sendRtcp(packet: Buffer): boolean;
  /** The participant's round trip (ms), measured on what it receives, if known. */
  rttMs(): number | undefined;
}

export class UplinkFeedback implements UplinkObserver {
  /** The SSRC our RTCP on this connection is sent from. */
  private readonly ssrc = newSsrc();
  private readonly transport = new TransportFeedbackRecorder();
  private lastFeedbackMs = 0;
  private lastReportMs = 0;

  constructor(
    private readonly context: UplinkContext,
    /** The transport-cc extension's id on this connection (-1: not negotiated). */
    private readonly transportCcId = TRANSPORT_CC_EXTENSION_ID,
  ) {}

  onPacket(_stream: InboundStream, packet: Buffer, nowMs: number): void {
    if (this.transportCcId < 0) return;
    const sequence = transportSequence(packet, this.transportCcId);
    if (sequence >= 0) this.transport.record(sequence, nowMs * 1000);
  }

  requestRetransmission(publication: InboundStream, sequences: number[]): void {
    if (publication.ssrc !== 0) this.context.sendRtcp(this.nackFor(publication, sequences));
  }

  private nackFor(publication: InboundStream, sequences: number[]): Buffer {
    return buildNack(this.ssrc, publication.ssrc, sequences);
  }

  requestKeyframe(publication: InboundStream): void {
    if (publication.ssrc !== 0) this.context.sendRtcp(buildPli(this.ssrc, publication.ssrc));
  }

  /** Called every few tens of ms by the room: sends what is due. */
  tick(nowMs: number): void {
    const publications = [...this.context.publications()];
    const due: Buffer[] = [];
    if (nowMs - this.lastReportMs >= RECEIVER_REPORT_INTERVAL_MS) {
      this.lastReportMs = nowMs;
      const blocks = publications.filter((p) => p.statistics.hasPackets).map((p) => p.statistics.report(nowMs));
      if (blocks.length > 0) due.push(buildReceiverReport(this.ssrc, blocks));
    }
    if (nowMs - this.lastFeedbackMs >= TRANSPORT_FEEDBACK_INTERVAL_MS && this.transport.pending) {
      this.lastFeedbackMs = nowMs;
      const mediaSsrc = publications.find((p) => p.ssrc !== 0)?.ssrc ?? 0;
      due.push(...this.transport.take(this.ssrc, mediaSsrc));
    }
    const rtt = this.context.rttMs() ?? DEFAULT_RTT_MS;
    for (const publication of publications) {
      const sequences = publication.nack?.due(nowMs, rtt);
      if (sequences && sequences.length > 0 && publication.ssrc !== 0) due.push(this.nackFor(publication, sequences));
    }
    this.sendCompound(due);
  }

  /** One datagram for what is due, or a few when it would not fit one. */
  private sendCompound(packets: Buffer[]): void {
    let batch: Buffer[] = [];
    let bytes = 0;
    for (const packet of packets) {
      if (bytes + packet.length > MAX_COMPOUND_BYTES && batch.length > 0) {
        this.context.sendRtcp(Buffer.concat(batch));
        batch = [];
        bytes = 0;
      }
      batch.push(packet);
      bytes += packet.length;
    }
    if (batch.length > 0) this.context.sendRtcp(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
  }
}
