/**
 * This page's network quality, from its own RTCPeerConnection's stats between two samples: for
 * what it sends, the loss, jitter and round trip the SFU's receiver reports give
 * (remote-inbound-rtp) and the bandwidth estimate (availableOutgoingBitrate); for what it
 * receives, the loss and jitter it sees itself and the connection's round trip. Levels per
 * measure, per kind and overall, as src/protocol/network-quality.ts grades them.
 */
import {
  bandwidthLevel,
  jitterLevel,
  lossLevel,
  type NetworkQualityMediaStats,
  type NetworkQualitySendOrRecvStats,
  type NetworkQualityStats,
  rttLevel,
  worstOf,
} from '../protocol/network-quality.js';

type Kind = 'audio' | 'video';
type AnyStats = RTCStats & Record<string, unknown>;

/** Which kind each line carries: this page's sending lines and the receiving ones, by mid. */
export interface MeteredLines {
  sending(mid: string): Kind | undefined;
  receiving(mid: string): Kind | undefined;
}

interface Counters {
  at: number;
  bytes: number;
  packets: number;
  lost: number;
}

interface Tally {
  kbps: number;
  /** The browser says the video it sends is held back by the bandwidth estimate (not CPU, not nothing). */
  limitedByBandwidth: boolean;
  fractionLost: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Link losses the server reported are used for this long. */
const LINK_LOSS_FRESH_MS = 6000;

export class NetworkQualityMeter {
  /** The counters of each line at the last sample, by stats id. */
  private last = new Map<string, Counters>();
  private linkLoss: { up: number | null; down: number | null; at: number } | undefined;

  /**
   * The server's count of what this page's links lost. What this page counts as lost on arrival
   * includes what publishers' own links lost, and what the server reports of what it receives
   * leaves out what retransmissions repaired; the server's figures do neither, so they stand for
   * both losses while they are fresh.
   */
  noteLinkLoss(up: number | null, down: number | null, now = Date.now()): void {
    this.linkLoss = { up, down, at: now };
  }

  constructor(private readonly lines: MeteredLines) {}

  /** Grades the interval since the last sample (the first sample has only the instant figures). */
  measure(report: RTCStatsReport, connected: boolean): NetworkQualityStats {
    const next = new Map<string, Counters>();
    const fresh = this.linkLoss && Date.now() - this.linkLoss.at < LINK_LOSS_FRESH_MS ? this.linkLoss : undefined;
    const sent = new Map<Kind, Tally>();
    const received = new Map<Kind, Tally>();
    // The connection's: the sender's bandwidth estimate (bits/s) and the round trip (ms).
    const transport: { available: number | null; rttMs: number | null } = { available: null, rttMs: null };
    const get = (id: unknown) => (typeof id === 'string' ? (report.get(id) as AnyStats | undefined) : undefined);
    report.forEach((s: AnyStats) => {
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        transport.available = num(s.availableOutgoingBitrate) ?? transport.available;
        const rtt = num(s.currentRoundTripTime);
        if (rtt !== undefined) transport.rttMs = rtt * 1000;
      }
    });
    report.forEach((s: AnyStats) => {
      if (typeof s.mid !== 'string') return;
      const outbound = s.type === 'outbound-rtp';
      if (!outbound && s.type !== 'inbound-rtp') return;
      const kind = outbound ? this.lines.sending(s.mid) : this.lines.receiving(s.mid);
      if (!kind) return;
      const counters: Counters = {
        at: s.timestamp,
        bytes: num(outbound ? s.bytesSent : s.bytesReceived) ?? 0,
        packets: num(outbound ? s.packetsSent : s.packetsReceived) ?? 0,
        lost: num(s.packetsLost) ?? 0,
      };
      next.set(s.id, counters);
      const before = this.last.get(s.id);
      const seconds = before ? (counters.at - before.at) / 1000 : 0;
      const kbps = before && seconds > 0 ? ((counters.bytes - before.bytes) * 8) / seconds / 1000 : 0;
      const tallies = outbound ? sent : received;
      const tally = tallies.get(kind) ?? {
        kbps: 0,
        limitedByBandwidth: false,
        fractionLost: null,
        jitterMs: null,
        rttMs: null,
      };
      tally.kbps += kbps;
      if (outbound) {
        if (s.qualityLimitationReason === 'bandwidth') tally.limitedByBandwidth = true;
        // What the SFU's receiver reports say of this line.
        const remote = get(s.remoteId);
        const fraction = fresh?.up ?? num(remote?.fractionLost);
        if (fraction !== undefined) tally.fractionLost = Math.max(tally.fractionLost ?? 0, fraction);
        const jitter = num(remote?.jitter);
        if (jitter !== undefined) tally.jitterMs = Math.max(tally.jitterMs ?? 0, jitter * 1000);
        const rtt = num(remote?.roundTripTime);
        if (rtt !== undefined) tally.rttMs = Math.max(tally.rttMs ?? 0, rtt * 1000);
      } else {
        if (typeof fresh?.down === 'number') tally.fractionLost = fresh.down;
        else if (before) {
          const lost = Math.max(0, counters.lost - before.lost);
          const arrived = Math.max(0, counters.packets - before.packets);
          if (lost + arrived > 0) tally.fractionLost = Math.max(tally.fractionLost ?? 0, lost / (lost + arrived));
        }
        const jitter = num(s.jitter);
        if (jitter !== undefined) tally.jitterMs = Math.max(tally.jitterMs ?? 0, jitter * 1000);
        tally.rttMs = transport.rttMs;
      }
      tallies.set(kind, tally);
    });
    this.last = next;

    const media = (kind: Kind): NetworkQualityMediaStats | null => {
      const send = sent.get(kind);
      const recv = received.get(kind);
      if (!send && !recv) return null;
      const sendStats = send ? graded(send, kind, transport.available) : null;
      const recvStats = recv ? graded(recv, kind, null) : null;
      return { send: levelOf(sendStats), recv: levelOf(recvStats), sendStats, recvStats };
    };
    const audio = media('audio');
    const video = media('video');
    const levels = [audio?.send, audio?.recv, video?.send, video?.recv];
    // With no media at all, the connection's round trip is all there is to go by.
    if (!audio && !video && transport.rttMs !== null) levels.push(rttLevel(transport.rttMs));
    return { level: connected ? worstOf(levels) : 0, audio, video };
  }
}

/**
 * The bandwidth estimate grades video only while the browser says it holds the video back: a
 * sender that needs little (a still picture) lets the estimate sink without the link being poor.
 */
function graded(tally: Tally, kind: Kind, availableBps: number | null): NetworkQualitySendOrRecvStats {
  const judged = availableBps !== null && (kind === 'audio' || tally.limitedByBandwidth);
  const availableKbps = judged ? availableBps / 1000 : null;
  const latencyLevels = [
    tally.jitterMs === null ? null : jitterLevel(tally.jitterMs),
    tally.rttMs === null ? null : rttLevel(tally.rttMs),
  ];
  return {
    bandwidth: {
      actual: tally.kbps * 1000,
      available: availableBps,
      level: availableKbps === null ? null : bandwidthLevel(availableKbps, kind),
    },
    latency: {
      jitter: tally.jitterMs,
      rtt: tally.rttMs,
      level: latencyLevels.some((l) => l !== null) ? worstOf(latencyLevels) : null,
    },
    fractionLost: {
      fractionLost: tally.fractionLost,
      level: tally.fractionLost === null ? null : lossLevel(tally.fractionLost),
    },
  };
}

function levelOf(stats: NetworkQualitySendOrRecvStats | null): number {
  if (!stats) return 5;
  return worstOf([stats.bandwidth?.level, stats.latency?.level, stats.fractionLost?.level]);
}
