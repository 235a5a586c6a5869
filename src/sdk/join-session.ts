import type { JoinedMessage, ServerMessage, TrackRequest } from '../protocol/messages.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { HuddleError } from './huddle-error.js';
import { SignallingClient } from './signalling-client.js';

export interface JoinRequest {
  url: string;
  token: string;
  room: string | undefined;
  /** The tracks to join with, by kind and name. */
  tracks: TrackRequest[];
  /** false: the server sends this client nothing (twilio-video's automaticSubscription: false). */
  subscribe: boolean;
  /** The participant SID to keep, when reconnecting. */
  resume?: string;
  /** The secret the server gave with that SID: without it, the server refuses to hand the SID back. */
  resumeSecret?: string;
}

export const SDK_VERSION = `huddle-video/${__HUDDLE_VERSION__}`;

/**
 * Opens a signalling connection and joins: resolves once the server admitted this client, with
 * the socket and the 'joined' message; rejects with the server's error otherwise.
 */
export async function openSession(
  request: JoinRequest,
): Promise<{ signalling: SignallingClient; joined: JoinedMessage }> {
  const signalling = await SignallingClient.open(request.url);
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type === 'joined') {
        cleanup();
        resolve({ signalling, joined: message });
      } else if (message.type === 'error') {
        cleanup();
        signalling.close();
        reject(HuddleError.fromMessage(message.code, message.message));
      }
    };
    const onClosed = (error: HuddleError | undefined) => {
      cleanup();
      reject(error ?? new HuddleError('SIGNALLING_FAILED', 'The server closed the connection while joining'));
    };
    const cleanup = () => {
      signalling.off('message', onMessage);
      signalling.off('closed', onClosed);
    };
    signalling.on('message', onMessage);
    signalling.on('closed', onClosed);
    signalling.send({
      type: 'join',
      token: request.token,
      ...(request.room === undefined ? {} : { room: request.room }),
      publish: {
        audio: request.tracks.some((t) => t.kind === 'audio'),
        video: request.tracks.some((t) => t.kind === 'video'),
      },
      tracks: request.tracks,
      ...(request.subscribe ? {} : { subscribe: false }),
      sdk: SDK_VERSION,
      protocol: PROTOCOL_VERSION,
      ...(request.resume ? { resume: request.resume } : {}),
      ...(request.resume && request.resumeSecret ? { resumeSecret: request.resumeSecret } : {}),
    });
  });
}
