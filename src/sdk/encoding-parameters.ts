/** twilio-video's EncodingParameters: caps on what each audio and video track sends (bits/s; null or 0: none). */
export interface EncodingParameters {
  maxAudioBitrate?: number | null;
  maxVideoBitrate?: number | null;
}
