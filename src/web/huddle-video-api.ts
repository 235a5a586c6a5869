import { connect } from '../sdk/index.js';
import { BANDWIDTH_PROFILE, type CallRoom, NETWORK_QUALITY, VIDEO_CODECS, type VideoApi } from './video-api';

declare global {
  interface Window {
    /** The current room, for diagnostics from the console (as Twilio's reference app does). */
    huddleRoom?: import('../sdk/index.js').Room;
  }
}

export const huddleVideoApi: VideoApi = {
  async connect(token, options): Promise<CallRoom> {
    const room = await connect(token, {
      ...options,
      networkQuality: NETWORK_QUALITY,
      bandwidthProfile: BANDWIDTH_PROFILE,
      preferredVideoCodecs: VIDEO_CODECS,
    });
    window.huddleRoom = room;
    return room;
  },
};
