/**
 * Answers one subscriber's NACKs for a video in layers, from the layers' histories, within a
 * budget. libdatachannel's own responder resends every packet asked for as often as it is asked:
 * on a link that is already full, each loss brings more traffic, and the link never drains
 * (measured in the lab: at 700 kbit/s, ~700 kbit/s of resends kept three videos 50–80 % frozen).
 * Here a packet is resent at most once a round trip, and resends take at most a share of the
 * subscriber's link, shared by all its videos (resend-budget.ts).
 */
import { readVp8Descriptor, writeVp8Descriptor } from '../rtp/vp8.js';
import type { InboundLayer } from './inbound-layer.js';
import type { LayerSwitcher } from './layer-switcher.js';
import type { ResendBudget } from './resend-budget.js';

const MIN_RESEND_INTERVAL_MS = 50;
/** A packet refused this many times for the budget is given up (Chrome asks up to ten times, a round trip apart). */
const OVER_BUDGET_TIMES = 3;

export class Retransmitter {
  private readonly lastResentMs = new Float64Array(1024);
  /** How many times in a row each packet (by the subscriber's number, modulo 1024) was refused for the budget. */
  private readonly overBudget = new Uint8Array(1024);
  private readonly overBudgetOf = new Int32Array(1024).fill(-1);
  /** Packets resent, and asked for but not resent (over budget, too soon again, or gone), for measurements. */
  readonly counts = { resent: 0, refused: 0 };

  constructor(
    private readonly switcher: LayerSwitcher,
    private readonly budget: ResendBudget,
  ) {}

  /**
   * Resends what it can of `sequences` (the subscriber's numbers). Returns true when a packet of
   * the layer it receives now is lost for good (gone from the history, or refused for the budget
   * this many times in a row): its decoder can show nothing more before a keyframe, and its
   * browser would ask for one only after seconds (Chrome gives up on a packet after its NACK
   * retries, then waits out a 3 s frame timeout; measured in the lab behind 700 kbit/s, a video
   * stayed frozen 3–4 s after the link had recovered).
   */
  resend(
    sequences: readonly number[],
    layers: readonly InboundLayer[],
    send: (packet: Buffer) => boolean,
    rttMs: number,
    nowMs: number,
  ): boolean {
    let lostForGood = false;
    for (const sequence of sequences) {
      const sent = this.switcher.sentAs(sequence);
      const slot = sequence & 1023;
      // A packet of a layer no longer sent is not needed: the subscriber's decoder began again at
      // the new layer's keyframe. Resending it would only take the budget from what is needed.
      if (!sent || sent.layer !== this.switcher.layer) {
        this.counts.refused++;
        continue;
      }
      const original = layers[sent.layer]?.history.get(sent.sequence);
      if (!original) {
        this.counts.refused++;
        lostForGood = true;
        continue;
      }
      if (nowMs - this.lastResentMs[slot]! < Math.max(MIN_RESEND_INTERVAL_MS, rttMs)) {
        this.counts.refused++;
        continue;
      }
      if (!this.budget.take(original.length, nowMs)) {
        this.counts.refused++;
        // The slot counts for this packet only (it is reused 1024 packets later).
        if (this.overBudgetOf[slot] !== sequence) this.overBudget[slot] = 0;
        this.overBudgetOf[slot] = sequence;
        this.overBudget[slot] = Math.min(255, this.overBudget[slot]! + 1);
        if (this.overBudget[slot]! === OVER_BUDGET_TIMES) lostForGood = true;
        continue;
      }
      this.overBudget[slot] = 0;
      const packet = Buffer.from(original);
      packet.writeUInt16BE(sequence, 2);
      packet.writeUInt32BE(sent.timestamp, 4);
      const vp8 = readVp8Descriptor(packet);
      if (vp8) writeVp8Descriptor(packet, vp8, sent.pictureId, sent.tl0, sent.keyIdx);
      if (!send(packet)) continue;
      this.lastResentMs[slot] = nowMs;
      this.counts.resent++;
    }
    return lostForGood;
  }
}
