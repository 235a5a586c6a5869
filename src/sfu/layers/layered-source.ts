/**
 * Where a video sent in simulcast layers comes from: its publish connection (one per such video,
 * see engine/publish-peer.ts), the layers on it, told apart by SSRC once each SSRC's rid is known
 * (Chrome names the rid in a header extension of its first packets), and that connection's own
 * feedback to the publisher: transport-cc, receiver reports, NACKs and keyframe requests per layer.
 */
import type { PublishPeer } from '../engine/publish-peer.js';
import { takeSenderReport } from '../quality/inbound-stream.js';
import { UplinkFeedback } from '../quality/uplink-feedback.js';
import { parseRtcp } from '../rtp/rtcp.js';
import { findExtension, rtpSsrc } from '../rtp/rtp-header.js';
import { Dynacast } from './dynacast.js';
import { InboundLayer, type VideoPace } from './inbound-layer.js';

export class LayeredSource {
  /** Low to high. */
  readonly layers: InboundLayer[];
  private readonly bySsrc = new Map<number, InboundLayer>();
  private readonly uplink: UplinkFeedback;
  /** Which layers the publisher is told to encode. */
  readonly dynacast: Dynacast;
  /** What its layers share (see InboundLayer.isActive). */
  private readonly pace: VideoPace = { newestPacketMs: Number.NEGATIVE_INFINITY, framesStarted: 0 };

  constructor(
    readonly peer: PublishPeer,
    rttMs: () => number | undefined,
  ) {
    this.layers = peer.offer.rids.map(
      (rid, index) => new InboundLayer(rid, index, (layer) => this.uplink.requestKeyframe(layer), this.pace),
    );
    this.dynacast = new Dynacast(this.layers);
    this.uplink = new UplinkFeedback(
      {
        publications: () => this.layers.filter((layer) => layer.ssrc !== 0),
        sendRtcp: (packet) => peer.sendRtcp(packet),
        rttMs,
      },
      peer.offer.extensions.transportCc ?? -1,
    );
  }

  /** The publisher's VP8 payload type on this connection. */
  get payloadType(): number {
    return this.peer.offer.payloadType;
  }

  /** The layer a packet belongs to; undefined for one of no layer the offer named. */
  layerOf(packet: Buffer): InboundLayer | undefined {
    const ssrc = rtpSsrc(packet);
    const known = this.bySsrc.get(ssrc);
    if (known) return known;
    const element = findExtension(packet, this.peer.offer.extensions.rid);
    if (element === -1) return undefined;
    const rid = packet.toString('latin1', element.offset, element.offset + element.length);
    const layer = this.layers.find((l) => l.rid === rid);
    if (!layer) return undefined;
    // The publisher changed the layer's SSRC (it may, on a restart): the new one takes over.
    if (layer.ssrc !== 0) this.bySsrc.delete(layer.ssrc);
    layer.ssrc = ssrc;
    layer.statistics.ssrc = ssrc;
    this.bySsrc.set(ssrc, layer);
    return layer;
  }

  /** Sees every packet before it is forwarded: transport-cc, loss statistics, NACKs, bitrate. */
  received(layer: InboundLayer, sequence: number, timestamp: number, packet: Buffer, nowMs: number): void {
    const unwrapped = layer.statistics.onPacket(sequence, timestamp, nowMs);
    this.uplink.onPacket(layer, packet, nowMs);
    layer.counted(packet.length, nowMs);
    if (layer.framed(timestamp, nowMs)) this.pace.framesStarted++;
    this.pace.newestPacketMs = nowMs;
    const missing = layer.nack.onPacket(unwrapped, nowMs);
    if (missing === 'too-many') layer.keyframes.forRepair();
    else if (missing.length > 0) this.uplink.requestRetransmission(layer, missing);
  }

  /** The publisher's sender reports, per layer: its clocks, for the subscribers' sender reports. */
  onRtcp(packet: Buffer): void {
    for (const rtcp of parseRtcp(packet)) {
      if (rtcp.type !== 'sr') continue;
      const layer = this.bySsrc.get(rtcp.ssrc);
      if (layer) takeSenderReport(layer, rtcp, performance.now());
    }
  }

  /** RTCP that is due on the publish connection. */
  tick(nowMs: number): void {
    if (!this.peer.isClosed) this.uplink.tick(nowMs);
  }

  /** Missed and expected packets over every layer, for the publisher's uplink loss. */
  get counts(): { missed: number; expected: number } {
    let missed = 0;
    let expected = 0;
    for (const layer of this.layers) {
      missed += layer.statistics.missed;
      expected += layer.statistics.expected;
    }
    return { missed, expected };
  }

  close(): void {
    for (const layer of this.layers) layer.close();
    this.peer.close();
  }
}
