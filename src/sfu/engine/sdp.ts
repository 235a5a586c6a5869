/**
 * The media descriptions the SFU offers, and the few edits it makes to SDP text. Codecs and
 * payload types are fixed by the server's offer, so forwarding never rewrites payload types.
 */
import nodeDataChannel from 'node-datachannel';
import type { TrackKind } from '../../protocol/messages.js';
import {
  AUDIO_LEVEL_EXTENSION_ID,
  AUDIO_LEVEL_URI,
  TRANSPORT_CC_EXTENSION_ID,
  TRANSPORT_CC_URI,
} from '../rtp/extensions.js';

const { Audio, Video } = nodeDataChannel;

export const OPUS_PAYLOAD_TYPE = 111;
export const VP8_PAYLOAD_TYPE = 96;
/**
 * Opus with in-band FEC (the publisher adds redundancy when receiver reports show loss) and DTX
 * (nearly nothing is sent during silence).
 */
const OPUS_FMTP = 'minptime=10;useinbandfec=1;usedtx=1';

export type LineDirection = 'RecvOnly' | 'SendOnly';

export interface SendIdentity {
  ssrc: number;
  cname: string;
  /** The msid stream: a participant's microphone and camera share one, so the browser syncs them. */
  streamId: string;
  trackId: string;
}

/**
 * A line's description. Receive lines ask publishers for transport-wide sequence numbers (and the
 * audio level on audio); send lines name their SSRC and msid.
 */
export function describeMedia(kind: TrackKind, mid: string, direction: LineDirection, send?: SendIdentity) {
  const media = kind === 'audio' ? new Audio(mid, direction) : new Video(mid, direction);
  if (media instanceof Audio) media.addOpusCodec(OPUS_PAYLOAD_TYPE, OPUS_FMTP);
  else media.addVP8Codec(VP8_PAYLOAD_TYPE);
  if (direction === 'RecvOnly') {
    // Feedback lines come after the codec they name: before it, libdatachannel loses the codec.
    const payloadType = kind === 'audio' ? OPUS_PAYLOAD_TYPE : VP8_PAYLOAD_TYPE;
    media.parseSdpLine(`a=extmap:${TRANSPORT_CC_EXTENSION_ID} ${TRANSPORT_CC_URI}`);
    media.parseSdpLine(`a=rtcp-fb:${payloadType} transport-cc`);
    if (kind === 'audio') media.parseSdpLine(`a=extmap:${AUDIO_LEVEL_EXTENSION_ID} ${AUDIO_LEVEL_URI}`);
  }
  if (send) media.addSSRC(send.ssrc, send.cname, send.streamId, send.trackId);
  return media;
}

/** Puts the announced address in place of local ones in host candidates (servers behind NAT). */
export function announceAddress(sdp: string, address: string | undefined): string {
  if (!address) return sdp;
  return sdp
    .split('\r\n')
    .map((line) => {
      if (line.startsWith('a=candidate:')) {
        const parts = line.split(' ');
        if (parts.length > 5) parts[4] = address;
        return parts.join(' ');
      }
      if (line.startsWith('c=IN ')) return `c=IN ${address.includes(':') ? 'IP6' : 'IP4'} ${address}`;
      return line;
    })
    .join('\r\n');
}

/** Takes the candidates out of an SDP: the SDP without them, and the candidate lines (without "a="). */
export function splitCandidates(sdp: string): { sdp: string; candidates: string[] } {
  const lines = sdp.split('\r\n');
  const candidates = [...new Set(lines.filter((l) => l.startsWith('a=candidate:')).map((l) => l.slice('a='.length)))];
  const rest = lines.filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates');
  return { sdp: rest.join('\r\n'), candidates };
}

/** The mid of an SDP's m=application line, if it has one. */
export function applicationMid(sdp: string): string | undefined {
  const section = sdp.split(/\r\n(?=m=)/).find((part) => part.startsWith('m=application'));
  return section?.match(/\r\na=mid:([^\r\n]+)/)?.[1];
}

/** An answer with an SCTP line it did not reject (port 0). */
export function acceptsApplication(sdp: string): boolean {
  return /(^|\r?\n)m=application [1-9]/.test(sdp);
}
