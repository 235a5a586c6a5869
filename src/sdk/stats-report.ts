/**
 * room.getStats()'s report, in twilio-video's StatsReport shape, from the browser's own
 * RTCStatsReport: one entry per line that sends this page's tracks or receives another's. Fields
 * the browser does not give (yet) are null, as in twilio-video.
 */
import type { MidMapping } from '../protocol/messages.js';
import type { LocalMediaTrack } from './local-track.js';

export interface Dimensions {
  width: number | null;
  height: number | null;
}

export interface TrackStats {
  /** The MediaStreamTrack's id. */
  trackId: string;
  trackSid: string;
  /** When the browser measured this (ms, its performance clock plus the time origin). */
  timestamp: number;
  ssrc: string;
  packetsLost: number | null;
  /** 'VP8', 'opus', … */
  codec: string | null;
}

export interface LocalTrackStats extends TrackStats {
  bytesSent: number | null;
  packetsSent: number | null;
  /** Seconds, from the server's receiver reports. */
  roundTripTime: number | null;
  jitter: number | null;
}

export interface LocalAudioTrackStats extends LocalTrackStats {
  /** 0 to 32767, as twilio-video. */
  audioLevel: number | null;
}

export interface LocalVideoTrackStats extends LocalTrackStats {
  captureDimensions: Dimensions | null;
  dimensions: Dimensions | null;
  captureFrameRate: number | null;
  frameRate: number | null;
}

export interface RemoteTrackStats extends TrackStats {
  /** Never null here: 0 before the first packet. */
  bytesReceived: number;
  packetsReceived: number;
}

export interface RemoteAudioTrackStats extends RemoteTrackStats {
  audioLevel: number | null;
  jitter: number | null;
}

export interface RemoteVideoTrackStats extends RemoteTrackStats {
  dimensions: Dimensions | null;
  frameRate: number | null;
  /** Not in twilio-video: frames decoded so far, and how many of them key frames (decoding only key frames means the stream is broken). */
  framesDecoded: number;
  keyFramesDecoded: number;
}

export interface StatsReport {
  peerConnectionId: string;
  localAudioTrackStats: LocalAudioTrackStats[];
  localVideoTrackStats: LocalVideoTrackStats[];
  remoteAudioTrackStats: RemoteAudioTrackStats[];
  remoteVideoTrackStats: RemoteVideoTrackStats[];
  /** Not in twilio-video: the ICE candidate pair carrying the media, 'host', 'srflx', 'prflx' or 'relay' on each side. */
  activeIceCandidatePair: {
    localCandidate: { candidateType: string };
    remoteCandidate: { candidateType: string };
  } | null;
}

/** What the report needs to know of the session: which track each line carries. */
export interface StatsLines {
  peerConnectionId: string;
  remoteLine(mid: string): MidMapping | undefined;
  localLine(mid: string): { trackSid: string; track: LocalMediaTrack } | undefined;
}

type AnyStats = RTCStats & Record<string, unknown>;

const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
/** The browser's audio level (0 to 1) on twilio-video's scale (0 to 32767). */
const level = (value: unknown): number | null => (typeof value === 'number' ? Math.round(value * 32767) : null);
const size = (width: unknown, height: unknown): Dimensions | null =>
  typeof width === 'number' && typeof height === 'number' ? { width, height } : null;

export function toStatsReport(stats: RTCStatsReport, lines: StatsLines): StatsReport {
  const report: StatsReport = {
    peerConnectionId: lines.peerConnectionId,
    localAudioTrackStats: [],
    localVideoTrackStats: [],
    remoteAudioTrackStats: [],
    remoteVideoTrackStats: [],
    activeIceCandidatePair: null,
  };
  const get = (id: unknown) => (typeof id === 'string' ? (stats.get(id) as AnyStats | undefined) : undefined);
  // Firefox's outbound-rtp has no mediaSourceId: its media-source entries are found by their track.
  const sourceOfTrack = new Map<string, AnyStats>();
  stats.forEach((s: AnyStats) => {
    if (s.type === 'media-source' && typeof s.trackIdentifier === 'string') sourceOfTrack.set(s.trackIdentifier, s);
  });
  const codecOf = (s: AnyStats) => {
    const mime = get(s.codecId)?.mimeType;
    return typeof mime === 'string' ? mime.slice(mime.indexOf('/') + 1) : null;
  };
  const base = (s: AnyStats, trackSid: string, trackId: string): TrackStats => ({
    trackId,
    trackSid,
    timestamp: s.timestamp,
    ssrc: String(s.ssrc ?? ''),
    packetsLost: null,
    codec: codecOf(s),
  });
  stats.forEach((s: AnyStats) => {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      const pair = get(s.selectedCandidatePairId);
      const typeOf = (id: unknown) => String(get(id)?.candidateType ?? 'unknown');
      if (pair)
        report.activeIceCandidatePair = {
          localCandidate: { candidateType: typeOf(pair.localCandidateId) },
          remoteCandidate: { candidateType: typeOf(pair.remoteCandidateId) },
        };
    } else if (s.type === 'inbound-rtp' && typeof s.mid === 'string') {
      const mapping = lines.remoteLine(s.mid);
      if (!mapping) return;
      const received: RemoteTrackStats = {
        ...base(s, mapping.trackSid, String(s.trackIdentifier ?? '')),
        packetsLost: num(s.packetsLost),
        bytesReceived: num(s.bytesReceived) ?? 0,
        packetsReceived: num(s.packetsReceived) ?? 0,
      };
      if (mapping.kind === 'video')
        report.remoteVideoTrackStats.push({
          ...received,
          dimensions: size(s.frameWidth, s.frameHeight),
          frameRate: num(s.framesPerSecond),
          framesDecoded: num(s.framesDecoded) ?? 0,
          keyFramesDecoded: num(s.keyFramesDecoded) ?? 0,
        });
      else report.remoteAudioTrackStats.push({ ...received, audioLevel: level(s.audioLevel), jitter: num(s.jitter) });
    } else if (s.type === 'outbound-rtp' && typeof s.mid === 'string') {
      const line = lines.localLine(s.mid);
      if (!line) return;
      // What the server's receiver reports say about this line: round trip, loss and jitter.
      const remote = get(s.remoteId);
      const sent: LocalTrackStats = {
        ...base(s, line.trackSid, line.track.mediaStreamTrack.id),
        packetsLost: num(remote?.packetsLost),
        bytesSent: num(s.bytesSent),
        packetsSent: num(s.packetsSent),
        roundTripTime: num(remote?.roundTripTime),
        jitter: num(remote?.jitter),
      };
      const source =
        get(s.mediaSourceId) ??
        sourceOfTrack.get(line.track._sentTrack.id) ??
        sourceOfTrack.get(line.track.mediaStreamTrack.id);
      if (line.track.kind === 'video')
        report.localVideoTrackStats.push({
          ...sent,
          captureDimensions: size(source?.width, source?.height),
          dimensions: size(s.frameWidth, s.frameHeight),
          captureFrameRate: num(source?.framesPerSecond),
          frameRate: num(s.framesPerSecond),
        });
      else report.localAudioTrackStats.push({ ...sent, audioLevel: level(source?.audioLevel) });
    }
  });
  return report;
}
