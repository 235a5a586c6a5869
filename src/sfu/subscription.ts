/**
 * One publication forwarded to one subscriber, on one of the subscriber's send lines. It reads
 * what the subscriber's browser reports about that stream (receiver reports: loss, jitter, the
 * round trip; keyframe requests) and writes the sender reports the browser needs for its round
 * trip time and to keep a participant's microphone and camera in sync.
 */
import type { SwitchOffReason, TrackPriority } from '../protocol/messages.js';
import type { AudioRoute } from './audio/loudest-speakers.js';
import { SequenceGapCloser } from './audio/sequence-gap-closer.js';
import type { SendLine } from './engine/send-line.js';
import { LayerSwitcher } from './layers/layer-switcher.js';
import type { ResendBudget } from './layers/resend-budget.js';
import { Retransmitter } from './layers/retransmitter.js';
import type { Publication, Viewer } from './publication.js';
import { buildSenderReport, ntpMiddle, parseRtcp } from './rtp/rtcp.js';

/** Sender reports kept for matching receiver reports' LSR echoes. */
const SENT_REPORTS_KEPT = 8;
/**
 * A viewer that keeps asking for keyframes (a link too thin for the stream: each keyframe is lost
 * as well) gets them ever more rarely, 1 s apart doubling to 8 s, so it cannot make everyone else
 * watch a keyframe storm; the spacing starts over once it stops asking for a while.
 */
const REPAIR_BACKOFF_MS = { first: 1000, max: 8000, forgetAfter: 10_000 };

export class Subscription implements Viewer {
  /** The subscriber's round trip on this line (ms), once a receiver report echoed a sender report. */
  rttMs: number | undefined;
  /** The subscriber's last reported loss on this line, 0–1. */
  fractionLost = 0;
  /** What the subscriber wants of this video (trackPreferences); on, at any size, at its publisher's priority. */
  readonly preferences: {
    on: boolean;
    renderWidth: number | undefined;
    renderHeight: number | undefined;
    priority: TrackPriority | null;
  } = { on: true, renderWidth: undefined, renderHeight: undefined, priority: null };
  /** Why the server sends this video no more (null: it does), as the subscriber was last told. */
  switchedOff: SwitchOffReason | null = null;
  private isPaused = false;
  /** For a video in layers: the SFU answers the subscriber's NACKs (within a budget), not libdatachannel. */
  private retransmitter: Retransmitter | undefined;
  /** Which layer the subscriber receives, when the publisher sends layers. */
  readonly layers = new LayerSwitcher();
  /** Lost on the way to the subscriber, and expected, since the line was given (for its bandwidth estimate). */
  readonly downlinkTotals = { lost: 0, expected: 0 };
  /** The subscriber's receive-side estimate (REMB, bits/s) and when it came, if its browser sends one. */
  remb: { bitrate: number; atMs: number } | undefined;
  private readonly sentReports: Array<{ lsr: number; atMs: number }> = [];
  /** The subscriber's and the server's counts at the last receiver report, to tell their losses apart. */
  private lastCounts: { subscriberLost: number; highest: number; upstreamLost: number; switches: number } | undefined;
  /** Lost on the way from the server to the subscriber, and expected, since the last take. */
  private downlink = { lost: 0, expected: 0 };
  /** Audio last-N: the subscriber's numbering of a microphone some of whose packets it is not sent. */
  private gaps: SequenceGapCloser | undefined;
  private repairIntervalMs = REPAIR_BACKOFF_MS.first;
  private lastRepairMs = -Infinity;

  constructor(
    readonly publication: Publication,
    readonly line: SendLine,
    readonly publisherSid: string,
    readonly subscriberSid: string,
    /** What the subscriber's resends may add to its link, shared by all its videos. */
    private readonly resends: ResendBudget,
  ) {
    line.onRtcp((packet) => this.onRtcp(packet));
    if (publication.layered) this.ownRetransmissions();
  }

  ownRetransmissions(): void {
    if (this.retransmitter) return;
    this.retransmitter = new Retransmitter(this.layers, this.resends);
    this.line.setNativeNack(false);
  }

  /** Nothing is forwarded while paused (switched off); a video starts again at a keyframe. */
  get paused(): boolean {
    return this.isPaused;
  }

  setPaused(paused: boolean): void {
    if (paused === this.isPaused) return;
    this.isPaused = paused;
    if (!paused) this.publication.resume(this);
  }

  passAudio(packet: Buffer, sequence: number, route: AudioRoute): boolean {
    if (!route.routes(this.subscriberSid)) {
      this.gaps ??= new SequenceGapCloser();
      this.gaps.hold(sequence);
      return false;
    }
    const renumbered = this.gaps ? this.gaps.renumber(sequence) : sequence;
    if (renumbered < 0) return false;
    // Always written: the packet is one buffer, renumbered by each subscription before it.
    packet.writeUInt16BE(renumbered, 2);
    return true;
  }

  send(packet: Buffer): boolean {
    return this.line.send(packet);
  }

  onReady(callback: () => void): void {
    this.line.onReady(callback);
  }

  get ready(): boolean {
    return this.line.isReady;
  }

  allowRepair(nowMs: number): boolean {
    const since = nowMs - this.lastRepairMs;
    if (since < this.repairIntervalMs) return false;
    this.repairIntervalMs =
      since < this.repairIntervalMs + REPAIR_BACKOFF_MS.forgetAfter
        ? Math.min(REPAIR_BACKOFF_MS.max, this.repairIntervalMs * 2)
        : REPAIR_BACKOFF_MS.first;
    this.lastRepairMs = nowMs;
    return true;
  }

  private onRtcp(packet: Buffer): void {
    const ssrc = this.line.ssrc;
    // A compound reaches every line it names: act only on what is about this line's stream.
    for (const rtcp of parseRtcp(packet)) {
      if ((rtcp.type === 'pli' || rtcp.type === 'fir') && rtcp.mediaSsrc === ssrc) {
        this.publication.onKeyframeRequest(this);
      } else if (rtcp.type === 'nack' && rtcp.mediaSsrc === ssrc && this.retransmitter) {
        const layers = this.publication.layered?.layers ?? [];
        const lostForGood = this.retransmitter.resend(
          rtcp.sequences,
          layers,
          (p) => this.line.send(p),
          this.rttMs ?? 100,
          performance.now(),
        );
        // Its decoder waits for a keyframe now: ask at once, as its own PLI would (spaced as those are).
        if (lostForGood) this.publication.onKeyframeRequest(this);
      } else if (rtcp.type === 'remb') {
        this.remb = { bitrate: rtcp.bitrate, atMs: performance.now() };
      } else if (rtcp.type === 'rr' || rtcp.type === 'sr') {
        for (const block of rtcp.reports)
          if (block.ssrc === ssrc) {
            this.countDownlinkLoss(block.cumulativeLost, block.extendedHighestSequence);
            this.onReport(block.fractionLost, block.lastSenderReport, block.delaySinceLastSenderReport);
          }
      }
    }
  }

  /**
   * The subscriber's loss counts what its publisher's own link lost too (the server forwards the
   * publisher's sequence numbers): what the server lost receiving the stream, over the same
   * interval, is taken off, which leaves the loss on the subscriber's own link.
   */
  private countDownlinkLoss(subscriberLost: number, highest: number): void {
    const upstreamLost = (this.publication.layerOf(this)?.statistics ?? this.publication.statistics).cumulativeLost;
    const last = this.lastCounts;
    const switches = this.layers.switches;
    this.lastCounts = { subscriberLost, highest, upstreamLost, switches };
    // Across a switch of layer the upstream count is another layer's: this report says nothing.
    if (!last || last.switches !== switches) return;
    const expected = (highest - last.highest) >>> 0;
    if (expected === 0 || expected > 0x8000) return; // nothing new, or a reordered report
    const lost = Math.max(
      0,
      Math.min(expected, subscriberLost - last.subscriberLost - (upstreamLost - last.upstreamLost)),
    );
    this.downlink.lost += lost;
    this.downlink.expected += expected;
    this.downlinkTotals.lost += lost;
    this.downlinkTotals.expected += expected;
  }

  /** The subscriber's own downlink loss on this line since the last call, and starts a new count. */
  takeDownlinkLoss(): { lost: number; expected: number } {
    const taken = this.downlink;
    this.downlink = { lost: 0, expected: 0 };
    return taken;
  }

  private onReport(fractionLost: number, lsr: number, dlsr: number): void {
    this.fractionLost = fractionLost / 256;
    const sent = this.sentReports.find((r) => r.lsr === lsr);
    if (!sent || lsr === 0) return;
    const rtt = performance.now() - sent.atMs - (dlsr / 65536) * 1000;
    if (rtt >= 0) this.rttMs = this.rttMs === undefined ? rtt : 0.8 * this.rttMs + 0.2 * rtt;
  }

  /**
   * The sender report for this line now, on the publisher's clock: its last NTP ↔ RTP mapping
   * carried forward to now, so the microphone's and the camera's reports agree and the browser
   * can align them. Undefined until the publisher has sent a report of its own.
   */
  senderReport(nowMs: number): Buffer | undefined {
    const layer = this.publication.layerOf(this);
    const clock = this.publication.layered ? layer?.senderClock : this.publication.senderClock;
    if (!clock || this.line.ssrc === 0) return undefined;
    // The subscriber sees the layer's timestamps moved by the switcher's offset: so must its reports.
    const rtpOffset = layer ? this.layers.rtpTimestampOffset : 0;
    const elapsedMs = nowMs - clock.atMs;
    const clockRate = this.publication.kind === 'audio' ? 48_000 : 90_000;
    const fraction = clock.ntpFraction / 0x100000000 + elapsedMs / 1000;
    const ntpSeconds = (clock.ntpSeconds + Math.floor(fraction)) >>> 0;
    const ntpFraction = Math.floor((fraction - Math.floor(fraction)) * 0x100000000) >>> 0;
    const { packets, octets } = this.line.sent;
    this.sentReports.push({ lsr: ntpMiddle(ntpSeconds, ntpFraction), atMs: nowMs });
    if (this.sentReports.length > SENT_REPORTS_KEPT) this.sentReports.shift();
    return buildSenderReport({
      ssrc: this.line.ssrc,
      ntpSeconds,
      ntpFraction,
      rtpTimestamp: (clock.rtpTimestamp + rtpOffset + Math.round((elapsedMs * clockRate) / 1000)) >>> 0,
      packetCount: packets,
      octetCount: octets,
      reports: [],
    });
  }

  /** Stops forwarding and frees the line for the next track. */
  close(): void {
    this.publication.detach(this);
    // The next track on the line may not come in layers.
    this.line.setNativeNack(true);
    this.line.release();
  }
}
