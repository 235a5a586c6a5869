/** room.getStats()'s report, in twilio-video's shape (the fields Huddle fills). */
import type { MidMapping } from '../protocol/messages.js';

export interface TrackStats {
  trackSid: string;
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded?: number;
  /** Of those, key frames (not in twilio-video): decoding only key frames means the stream is broken. */
  keyFramesDecoded?: number;
}

export interface StatsReport {
  remoteAudioTrackStats: TrackStats[];
  remoteVideoTrackStats: TrackStats[];
  /** The ICE candidate pair carrying the media: 'host', 'srflx', 'prflx' or 'relay' on each side. */
  activeIceCandidatePair: {
    localCandidate: { candidateType: string };
    remoteCandidate: { candidateType: string };
  } | null;
}

/** Reads the browser's report; `remoteLine` says which remote track a receiving line (mid) carries. */
export function toStatsReport(stats: RTCStatsReport, remoteLine: (mid: string) => MidMapping | undefined): StatsReport {
  const report: StatsReport = { remoteAudioTrackStats: [], remoteVideoTrackStats: [], activeIceCandidatePair: null };
  const typeOf = (id: string | undefined) =>
    id ? ((stats.get(id) as { candidateType?: string } | undefined)?.candidateType ?? 'unknown') : 'unknown';
  stats.forEach((s: RTCStats & { selectedCandidatePairId?: string }) => {
    if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
    const pair = stats.get(s.selectedCandidatePairId) as RTCIceCandidatePairStats | undefined;
    if (!pair) return;
    report.activeIceCandidatePair = {
      localCandidate: { candidateType: typeOf(pair.localCandidateId) },
      remoteCandidate: { candidateType: typeOf(pair.remoteCandidateId) },
    };
  });
  stats.forEach((s: RTCInboundRtpStreamStats & { mid?: string }) => {
    if (s.type !== 'inbound-rtp' || !s.mid) return;
    const mapping = remoteLine(s.mid);
    if (!mapping) return;
    const entry: TrackStats = {
      trackSid: mapping.trackSid,
      packetsReceived: s.packetsReceived ?? 0,
      bytesReceived: s.bytesReceived ?? 0,
    };
    if (mapping.kind === 'video')
      report.remoteVideoTrackStats.push({
        ...entry,
        framesDecoded: s.framesDecoded ?? 0,
        keyFramesDecoded: s.keyFramesDecoded ?? 0,
      });
    else report.remoteAudioTrackStats.push(entry);
  });
  return report;
}
