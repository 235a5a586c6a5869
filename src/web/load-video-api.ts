/**
 * The SDK the server's backend needs, loaded on demand: twilio-video is loaded only when the
 * server runs on Twilio, so the embedded mode's page does not carry it.
 */
import type { BackendKind } from '../protocol/http.js';
import type { VideoApi } from './video-api';

export async function loadVideoApi(backend: BackendKind): Promise<VideoApi> {
  if (backend === 'twilio') return (await import('./twilio-video-api')).twilioVideoApi;
  return (await import('./huddle-video-api')).huddleVideoApi;
}
