/**
 * Answers one subscriber's NACKs for a video in layers, from the layers' histories, within a
 * budget. libdatachannel's own responder resends every packet asked for as often as it is asked:
 * on a link that is already full, each loss brings more traffic, and the link never drains
 * (measured in the lab: at 700 kbit/s, ~700 kbit/s of resends kept three videos 50–80 % frozen).
 * Here a packet is resent at most once a round trip, and resends take at most a share of what the
 * video sends.
 */
import { readVp8Descriptor, writeVp8Descriptor } from '../rtp/vp8.js';
import type { InboundLayer } from './inbound-layer.js';
import type { LayerSwitcher } from './layer-switcher.js';

/** Resends may add this share of the layer's own bitrate, with this much at least (bits/s). */
const BUDGET_SHARE = 0.3;
const MIN_BUDGET_BPS = 64_000;
/** The bucket holds this long's budget: a burst of loss can be repaired at once. */
const BUCKET_SECONDS = 0.5;
const MIN_RESEND_INTERVAL_MS = 50;

export class Retransmitter {
  private tokens = 0;
  private lastRefillMs = 0;
  private readonly lastResentMs = new Float64Array(1024);
  /** Packets resent, and asked for but not resent (over budget, too soon again, or gone), for measurements. */
  readonly counts = { resent: 0, refused: 0 };

  constructor(private readonly switcher: LayerSwitcher) {}

  resend(
    sequences: readonly number[],
    layers: readonly InboundLayer[],
    send: (packet: Buffer) => boolean,
    rttMs: number,
    nowMs: number,
  ): void {
    const current = layers[this.switcher.layer];
    const budgetBps = Math.max(MIN_BUDGET_BPS, (current?.bitrate ?? 0) * BUDGET_SHARE);
    const capacity = (budgetBps / 8) * BUCKET_SECONDS;
    this.tokens = Math.min(capacity, this.tokens + ((nowMs - this.lastRefillMs) / 1000) * (budgetBps / 8));
    this.lastRefillMs = nowMs;
    for (const sequence of sequences) {
      const sent = this.switcher.sentAs(sequence);
      const original = sent && layers[sent.layer]?.history.get(sent.sequence);
      const slot = sequence & 1023;
      if (!sent || !original || nowMs - this.lastResentMs[slot]! < Math.max(MIN_RESEND_INTERVAL_MS, rttMs)) {
        this.counts.refused++;
        continue;
      }
      if (this.tokens < original.length) {
        this.counts.refused++;
        continue;
      }
      const packet = Buffer.from(original);
      packet.writeUInt16BE(sequence, 2);
      packet.writeUInt32BE(sent.timestamp, 4);
      const vp8 = readVp8Descriptor(packet);
      if (vp8) writeVp8Descriptor(packet, vp8, sent.pictureId, sent.tl0);
      if (!send(packet)) continue;
      this.tokens -= packet.length;
      this.lastResentMs[slot] = nowMs;
      this.counts.resent++;
    }
  }
}
