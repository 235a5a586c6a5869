/**
 * One published track: the line on its publisher's connection that receives it, what the SFU
 * knows of that stream (for its receiver reports and NACKs), and the subscriptions it is forwarded
 * to. It forwards each packet unchanged but for the SSRC, which each subscription's line rewrites.
 */
import type { TrackInfo, TrackKind, TrackPriority } from '../protocol/messages.js';
import type { AudioRoute } from './audio/loudest-speakers.js';
import type { ReceiveLine } from './engine/receive-line.js';
import { VP8_PAYLOAD_TYPE } from './engine/sdp.js';
import { usefulFor } from './layers/downlink-allocator.js';
import type { InboundLayer } from './layers/inbound-layer.js';
import type { LayerPacket, LayerSwitcher } from './layers/layer-switcher.js';
import type { LayeredSource } from './layers/layered-source.js';
import {
  type InboundStream,
  type SenderClock,
  takeSenderReport,
  type UplinkObserver,
} from './quality/inbound-stream.js';
import { KeyframeRequests } from './quality/keyframe-requests.js';
import { NackRequester } from './quality/nack-requester.js';
import { ReceiveStatistics } from './quality/receive-statistics.js';
import { audioLoudness } from './rtp/audio-level.js';
import { parseRtcp } from './rtp/rtcp.js';
import { rtpSequence, rtpSsrc, rtpTimestamp } from './rtp/rtp-header.js';
import {
  emptyVp8Descriptor,
  isVp8KeyframeStart,
  readVp8Descriptor,
  type Vp8Descriptor,
  vp8KeyframeSize,
} from './rtp/vp8.js';
import { LevelMeter } from './speaker-detector.js';

export type { InboundStream, SenderClock, UplinkObserver };

export interface ForwardingCounters {
  packets: number;
  bytes: number;
}

/** Where a publication is forwarded to (a subscription): it sends, and says when it can first carry media. */
export interface Viewer {
  send(packet: Buffer): boolean;
  /** Its line carries media to a browser that knows it: until then a keyframe sent to it is wasted. */
  readonly ready: boolean;
  /** Called once the viewer's line can carry media to a browser that knows it. */
  onReady(callback: () => void): void;
  /** Whether a repair keyframe this viewer asks for now is honoured (each viewer's requests back off). */
  allowRepair(nowMs: number): boolean;
  /** Which layer it receives of a video sent in simulcast layers. */
  readonly layers: LayerSwitcher;
  /** Switched off: nothing is forwarded to it. */
  readonly paused: boolean;
  /** The height it shows the video at (device pixels), when it said. */
  readonly preferences: { readonly renderHeight: number | undefined };
  /** The publication now comes in layers: the SFU answers this viewer's NACKs itself. */
  ownRetransmissions(): void;
  /**
   * Audio last-N: whether this microphone's packet goes to the viewer now (renumbered for it, so
   * the packets it does not get leave no gap); `sequence` is the packet's own number.
   */
  passAudio(packet: Buffer, sequence: number, route: AudioRoute): boolean;
}

export class Publication {
  /** False while its publisher has muted it: nothing is forwarded then. */
  private isEnabled = true;
  /** Audio only: the publisher's loudness, for the dominant speaker. */
  readonly levels = new LevelMeter();
  /** The publisher's priority for it (twilio-video's publishPriority), as it set it. */
  priority: TrackPriority = 'standard';
  /** The publisher's SSRC for this track, learned from its first packet (0 before). */
  ssrc = 0;
  readonly statistics: ReceiveStatistics;
  /** Video only: asks the publisher again for packets that did not arrive. */
  readonly nack: NackRequester | undefined;
  senderClock: SenderClock | undefined;
  private readonly subscriptions = new Set<Viewer>();
  /**
   * Video subscriptions that have not yet received a keyframe: they get nothing until one comes,
   * and the publisher is asked again (throttled) until it does. A single request when the line
   * opens is not enough: it is lost if the publisher's own connection is not up yet.
   */
  private readonly awaitingKeyframe = new Set<Viewer>();
  private readonly keyframes = new KeyframeRequests(() => this.uplink.requestKeyframe(this));
  /** Set once the publisher sends this video in simulcast layers, on a connection of its own. */
  private source: LayeredSource | undefined;
  /** A microphone's place among the room's loudest (audio last-N); every viewer gets it when absent. */
  audioRoute: AudioRoute | undefined;
  /**
   * What forwardLayer reads of each packet, written in place for every packet rather than
   * allocated (the switchers read it during the call and keep nothing of it).
   */
  private readonly layerPacket: LayerPacket = { layer: 0, sequence: 0, timestamp: 0, vp8: undefined };
  private readonly descriptor: Vp8Descriptor = emptyVp8Descriptor();

  constructor(
    readonly sid: string,
    readonly kind: TrackKind,
    readonly name: string,
    /** The media line on the publisher's connection that receives it. */
    readonly mid: string,
    line: ReceiveLine,
    private readonly uplink: UplinkObserver,
    /** Server-wide packets and bytes sent to subscribers, for metrics (outlive this publication). */
    private readonly counters: ForwardingCounters,
    /** The first microphone and camera joined with: sent to subscribers in the participant's one stream. */
    readonly inParticipantStream = false,
  ) {
    this.statistics = new ReceiveStatistics(0, kind === 'audio' ? 48_000 : 90_000);
    this.nack = kind === 'video' ? new NackRequester() : undefined;
    line.onPacket(
      (packet) => this.forward(packet),
      (packet) => this.onRtcp(packet),
    );
  }

  get enabled(): boolean {
    return this.isEnabled;
  }

  set enabled(enabled: boolean) {
    if (enabled && !this.isEnabled && this.source) {
      for (const subscription of this.subscriptions) subscription.layers.reset();
    } else if (enabled && !this.isEnabled && this.kind === 'video') {
      // Unmuted video restarts mid-stream: every subscriber needs a keyframe again.
      for (const subscription of this.subscriptions) this.awaitingKeyframe.add(subscription);
      this.keyframes.forNewViewer();
    }
    this.isEnabled = enabled;
    this.audioRoute?.setEnabled(enabled);
  }

  private forward(packet: Buffer): void {
    const nowMs = performance.now();
    if (this.ssrc === 0) {
      this.ssrc = rtpSsrc(packet);
      this.statistics.ssrc = this.ssrc;
    }
    const wireSequence = rtpSequence(packet);
    const sequence = this.statistics.onPacket(wireSequence, rtpTimestamp(packet), nowMs);
    this.uplink.onPacket(this, packet, nowMs);
    if (this.nack) {
      const missing = this.nack.onPacket(sequence, nowMs);
      if (missing === 'too-many') this.keyframes.forRepair();
      else if (missing.length > 0) this.uplink.requestRetransmission(this, missing);
    }
    if (!this.isEnabled) return;
    const route = this.audioRoute;
    if (this.kind === 'audio') {
      const loudness = audioLoudness(packet);
      this.levels.add(loudness);
      route?.observe(loudness, nowMs);
    }
    const keyframe = this.kind === 'video' && isVp8KeyframeStart(packet);
    if (keyframe) this.keyframes.keyframeArrived(nowMs);
    let readyAndWaiting = false;
    for (const subscription of this.subscriptions) {
      if (subscription.paused) continue;
      if (route && !subscription.passAudio(packet, wireSequence, route)) continue;
      const waiting = this.awaitingKeyframe.size > 0 && this.awaitingKeyframe.has(subscription);
      if (waiting) {
        // A keyframe sent before the line is ready is lost on a browser that cannot place it yet.
        if (!subscription.ready) continue;
        readyAndWaiting = true;
        if (!keyframe) continue;
      }
      if (!subscription.send(packet)) continue;
      if (waiting) this.awaitingKeyframe.delete(subscription);
      this.counters.packets++;
      this.counters.bytes += packet.length;
    }
    // Only for viewers that can take it: a keyframe asked for early is wasted, and it starts the
    // throttle's clock, so the one that counts comes later.
    if (readyAndWaiting && this.awaitingKeyframe.size > 0) this.keyframes.forNewViewer();
  }

  /** The layers this video comes in, once its publisher sends it in simulcast; undefined before. */
  get layered(): LayeredSource | undefined {
    return this.source;
  }

  /**
   * From now on the video comes in layers on its own connection (its line on the publisher's
   * connection stays idle); each subscriber receives the layer its allocator sets.
   */
  receiveLayers(source: LayeredSource): void {
    this.source?.close();
    this.source = source;
    for (const subscription of this.subscriptions) subscription.ownRetransmissions();
    source.peer.onPacket(
      (packet) => this.forwardLayer(source, packet),
      (packet) => source.onRtcp(packet),
    );
  }

  private forwardLayer(source: LayeredSource, packet: Buffer): void {
    if (packet.length < 12 || (packet[1]! & 0x7f) !== source.payloadType) return;
    const layer = source.layerOf(packet);
    if (!layer) return;
    const nowMs = performance.now();
    const sequence = rtpSequence(packet);
    const timestamp = rtpTimestamp(packet);
    source.received(layer, sequence, timestamp, packet, nowMs);
    if (!this.isEnabled) return;
    // Subscribers' lines carry the SFU's own VP8 payload type.
    packet[1] = (packet[1]! & 0x80) | VP8_PAYLOAD_TYPE;
    layer.history.store(sequence, packet);
    const vp8 = readVp8Descriptor(packet, this.descriptor);
    if (vp8?.keyframe) {
      layer.keyframes.keyframeArrived(nowMs);
      const size = vp8KeyframeSize(packet, vp8);
      if (size) {
        layer.width = size.width;
        layer.height = size.height;
      }
    }
    const meta = this.layerPacket;
    meta.layer = layer.index;
    meta.sequence = sequence;
    meta.timestamp = timestamp;
    meta.vp8 = vp8;
    let wanted = 0;
    for (const subscription of this.subscriptions) {
      const switcher = subscription.layers;
      const ready = subscription.ready;
      // Its layer stopped (the publisher dropped it) while this lower one goes on: come down at
      // once, not at the allocator's next beat.
      if (switcher.layer > layer.index && switcher.target === switcher.layer) {
        if (!source.layers[switcher.layer]!.isActive(nowMs)) switcher.target = layer.index;
      }
      if (ready && switcher.wantsKeyframe) wanted |= 1 << switcher.target;
      if (switcher.layer !== layer.index && (switcher.target !== layer.index || !ready)) continue;
      if (!switcher.take(packet, meta, nowMs)) continue;
      if (!subscription.send(packet)) continue;
      this.counters.packets++;
      this.counters.bytes += packet.length;
    }
    if (wanted === 0) return;
    for (const each of source.layers) if (wanted & (1 << each.index)) each.keyframes.forNewViewer();
  }

  /**
   * Of a video in layers, which layers someone may receive, low to high: every layer a watching
   * viewer's tile can use (its link decides among them, and a link's estimate climbs back), the
   * one it has, the one it waits for. So only layers bigger than every tile are turned off, as
   * LiveKit's dynacast does: turning one off or on makes Chrome reconfigure its encoder, a stall
   * for every viewer (measured in the lab, where layers held down by viewers' estimates were
   * turned off and on). The lowest is wanted whenever anyone watches: a publisher left with its
   * top layer alone treats it as one stream, which Chrome scaled down on a thin uplink (viewers
   * froze 2–6 %).
   */
  get wantedLayers(): boolean[] {
    const layers = this.source?.layers ?? [];
    const wanted = layers.map(() => false);
    for (const subscription of this.subscriptions) {
      if (subscription.paused) continue;
      const { layer, target } = subscription.layers;
      wanted[0] = true;
      for (const useful of usefulFor(layers, subscription.preferences.renderHeight)) wanted[useful.index] = true;
      if (layer >= 0) wanted[layer] = true;
      if (target >= 0) wanted[target] = true;
    }
    return wanted;
  }

  /** The layer a subscriber receives now, if this video comes in layers and it receives one. */
  layerOf(subscription: Viewer): InboundLayer | undefined {
    return this.source?.layers[subscription.layers.layer];
  }

  private onRtcp(packet: Buffer): void {
    // The whole compound reaches every line whose SSRC it names: take only this stream's report.
    for (const rtcp of parseRtcp(packet)) {
      if (rtcp.type !== 'sr' || rtcp.ssrc !== this.ssrc || this.ssrc === 0) continue;
      takeSenderReport(this, rtcp, performance.now());
    }
  }

  info(): TrackInfo {
    return {
      sid: this.sid,
      kind: this.kind,
      name: this.name,
      enabled: this.enabled,
      ...(this.priority === 'standard' ? {} : { priority: this.priority }),
    };
  }

  /** Forwards to this subscription; a video one first waits for a keyframe, asked for once its line is ready. */
  attach(subscription: Viewer): void {
    this.subscriptions.add(subscription);
    if (this.kind !== 'video') return;
    this.awaitingKeyframe.add(subscription);
    subscription.onReady(() => this.keyframesFor(subscription).forNewViewer());
  }

  /** Where a keyframe this subscriber needs comes from: the layer it receives or waits for, when layered. */
  private keyframesFor(subscription: Viewer): KeyframeRequests {
    const switcher = subscription.layers;
    const layer = this.source?.layers[switcher.wantsKeyframe ? switcher.target : switcher.layer];
    return layer?.keyframes ?? this.keyframes;
  }

  /** A viewer switched on again: a video not in layers starts again at a keyframe (in layers, its switcher waits). */
  resume(subscription: Viewer): void {
    if (this.kind !== 'video' || this.source || !this.subscriptions.has(subscription)) return;
    this.awaitingKeyframe.add(subscription);
    if (subscription.ready) this.keyframes.forNewViewer();
  }

  detach(subscription: Viewer): void {
    this.subscriptions.delete(subscription);
    this.awaitingKeyframe.delete(subscription);
  }

  /**
   * A subscriber asked for a keyframe (PLI/FIR). One lossy viewer must not make everyone pay for a
   * keyframe each time: retransmission repairs most loss first, and repair keyframes are spaced.
   */
  onKeyframeRequest(subscription: Viewer): void {
    if (this.kind !== 'video') return;
    const keyframes = this.keyframesFor(subscription);
    if (this.source ? subscription.layers.wantsKeyframe : this.awaitingKeyframe.has(subscription)) {
      keyframes.forNewViewer();
    } else if (subscription.allowRepair(performance.now())) keyframes.forRepair();
  }

  close(): void {
    this.audioRoute?.close();
    this.keyframes.close();
    this.source?.close();
    this.subscriptions.clear();
    this.awaitingKeyframe.clear();
  }
}
