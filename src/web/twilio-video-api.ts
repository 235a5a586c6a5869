import { connect } from 'twilio-video';
import type { CallRoom, VideoApi } from './video-api';

export const twilioVideoApi: VideoApi = {
  async connect(token, options): Promise<CallRoom> {
    // Insights would report to Twilio's telemetry endpoint; the page does not need it.
    return connect(token, { name: options.name, tracks: options.tracks, insights: false });
  },
};
