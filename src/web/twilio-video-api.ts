import { connect } from 'twilio-video';
import { BANDWIDTH_PROFILE, type CallRoom, NETWORK_QUALITY, VIDEO_CODECS, type VideoApi } from './video-api';

export const twilioVideoApi: VideoApi = {
  async connect(token, options): Promise<CallRoom> {
    // Insights would report to Twilio's telemetry endpoint; the page does not need it.
    const tracks = options.tracks.map((t) => t.mediaStreamTrack);
    return connect(token, {
      name: options.name,
      tracks,
      insights: false,
      dominantSpeaker: true,
      networkQuality: NETWORK_QUALITY,
      bandwidthProfile: BANDWIDTH_PROFILE,
      preferredVideoCodecs: VIDEO_CODECS,
    }) as unknown as Promise<CallRoom>;
  },
};
