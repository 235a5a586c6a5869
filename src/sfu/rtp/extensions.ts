/** The RTP header extensions the SFU negotiates, by the ids its offers give them. */

/** RFC 6464 client-to-mixer audio level: the dominant speaker comes from it. */
export const AUDIO_LEVEL_EXTENSION_ID = 1;
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
/** Transport-wide sequence numbers, which the SFU's transport-cc feedback reports on. */
export const TRANSPORT_CC_EXTENSION_ID = 3;
export const TRANSPORT_CC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
