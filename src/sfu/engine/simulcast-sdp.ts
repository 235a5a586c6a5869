/**
 * The SDP of a layered publish connection (see publish-peer.ts): what the SFU accepts of a
 * browser's simulcast offer, and the edits that make libdatachannel's answer one Chrome and
 * Firefox send simulcast to (both offer `a=simulcast:send` with the rids low to high, in the
 * order of the page's sendEncodings). libdatachannel answers no rid or simulcast lines of its own (it cannot receive
 * simulcast as such), so the answer gets them here; it is also narrowed to VP8 without RTX (a
 * retransmission then comes on the layer's own SSRC, which the SFU's NACKs follow) and to the
 * header extensions the SFU reads.
 */
import { TRANSPORT_CC_URI } from '../rtp/extensions.js';

export const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
export const RID_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
const KEPT_EXTENSIONS = [MID_URI, RID_URI, TRANSPORT_CC_URI];
/** More layers than the SDK asks for (three) are refused. */
const MAX_LAYERS = 3;
const MAX_LINES = 400;
const RID = /^[A-Za-z0-9_-]{1,16}$/;

export class SimulcastOfferError extends Error {}

/** What the SFU needs to know of an accepted offer. */
export interface SimulcastOffer {
  /** The layers' rids, low to high (the order of the offer's a=simulcast line). */
  rids: string[];
  /** The offer's VP8 payload type: what the publisher's packets carry. */
  payloadType: number;
  /** Header extension ids in the publisher's packets, by what they carry. */
  extensions: { rid: number; mid: number | undefined; transportCc: number | undefined };
}

/** Checks a client's offer before any of it reaches native code; throws SimulcastOfferError. */
export function readSimulcastOffer(sdp: string): SimulcastOffer {
  const lines = sdp.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length > MAX_LINES) throw new SimulcastOfferError('the offer is too long');
  if (!lines[0]?.startsWith('v=0')) throw new SimulcastOfferError('not an SDP offer');
  const media = lines.filter((line) => line.startsWith('m='));
  if (media.length !== 1 || !/^m=video \d+ UDP\/TLS\/RTP\/SAVPF( \d+)+$/.test(media[0]!)) {
    throw new SimulcastOfferError('the offer must have exactly one video line');
  }
  for (const needed of ['a=ice-ufrag:', 'a=ice-pwd:', 'a=fingerprint:', 'a=mid:']) {
    if (!lines.some((line) => line.startsWith(needed))) throw new SimulcastOfferError(`the offer has no ${needed}`);
  }
  const vp8 = lines.map((line) => /^a=rtpmap:(\d+) VP8\/90000$/i.exec(line)).find(Boolean);
  if (!vp8) throw new SimulcastOfferError('the offer has no VP8');
  const simulcast = lines.find((line) => line.startsWith('a=simulcast:'));
  const sent = /^a=simulcast:send ([^ ]+)$/.exec(simulcast ?? '');
  if (!sent) throw new SimulcastOfferError('the offer sends no simulcast');
  // Alternatives (`a,b`) and paused layers (`~a`) are not something a browser offers here.
  const rids = sent[1]!.split(';');
  if (rids.length < 1 || rids.length > MAX_LAYERS || !rids.every((rid) => RID.test(rid))) {
    throw new SimulcastOfferError('the offer must send 1 to 3 plain rids');
  }
  if (new Set(rids).size !== rids.length) throw new SimulcastOfferError('the offer repeats a rid');
  const extension = (uri: string) => {
    const found = lines.map((line) => /^a=extmap:(\d+)(?:\/\w+)? (\S+)/.exec(line)).find((m) => m?.[2] === uri);
    const id = found ? Number(found[1]) : undefined;
    return id !== undefined && id >= 1 && id <= 14 ? id : undefined;
  };
  const rid = extension(RID_URI);
  if (rid === undefined) throw new SimulcastOfferError('the offer has no rtp-stream-id extension');
  return {
    rids,
    payloadType: Number(vp8[1]),
    extensions: { rid, mid: extension(MID_URI), transportCc: extension(TRANSPORT_CC_URI) },
  };
}

/** libdatachannel's answer, made into one that receives the offer's layers (see the file's comment). */
export function simulcastAnswer(answer: string, offer: string, accepted: SimulcastOffer): string {
  const pt = accepted.payloadType;
  const offered = offer.split(/\r?\n/);
  const out: string[] = [];
  for (const line of answer.split(/\r?\n/)) {
    if (line.length === 0) continue;
    if (line.startsWith('m=video ')) {
      out.push(`${line.split(' ').slice(0, 3).join(' ')} ${pt}`);
      continue;
    }
    const codecLine = /^a=(rtpmap|fmtp|rtcp-fb):(\d+)/.exec(line);
    if (codecLine && (Number(codecLine[2]) !== pt || codecLine[1] === 'rtcp-fb')) continue;
    if (/^a=(rid|simulcast|extmap|ssrc|ssrc-group|msid|sendrecv|sendonly|inactive|recvonly)\b/.test(line)) continue;
    out.push(line);
  }
  const extensions = offered.filter((line) => {
    const uri = /^a=extmap:\d+(?:\/\w+)? (\S+)/.exec(line)?.[1];
    return uri !== undefined && KEPT_EXTENSIONS.includes(uri);
  });
  const feedback = ['nack', 'nack pli', 'ccm fir', ...(accepted.extensions.transportCc ? ['transport-cc'] : [])];
  out.push(
    'a=recvonly',
    ...extensions.map((line) => line.replace(/^(a=extmap:\d+)\/\w+/, '$1')),
    ...feedback.map((fb) => `a=rtcp-fb:${pt} ${fb}`),
    ...accepted.rids.map((rid) => `a=rid:${rid} recv`),
    `a=simulcast:recv ${accepted.rids.join(';')}`,
  );
  return `${out.join('\r\n')}\r\n`;
}
