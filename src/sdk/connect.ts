import type { JoinedMessage } from '../protocol/messages.js';
import { createLocalTracks } from './create-local-tracks.js';
import { HuddleError } from './huddle-error.js';
import { Room } from './room.js';
import { defaultSignallingUrl, SignallingClient } from './signalling-client.js';
import { LocalAudioTrack, LocalVideoTrack, type LocalMediaTrack } from './track.js';

export interface ConnectOptions {
  /** The room to join; when the token's grant names a room, it must be the same. */
  name?: string;
  /**
   * Tracks to publish, as Huddle tracks or plain MediaStreamTracks (as twilio-video accepts).
   * When absent, Huddle captures them as `audio` and `video` say (default both).
   */
  tracks?: Array<LocalMediaTrack | MediaStreamTrack>;
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
  /** The signalling WebSocket URL; by default the server that served the SDK. */
  signallingUrl?: string;
}

export const SDK_VERSION = 'huddle-video/0.1.0';

function asLocalTrack(track: LocalMediaTrack | MediaStreamTrack): LocalMediaTrack {
  if (!(track instanceof MediaStreamTrack)) return track;
  return track.kind === 'audio' ? new LocalAudioTrack(track) : new LocalVideoTrack(track);
}

/** Joins a room, as twilio-video's connect(): resolves once the server has admitted this page. */
export async function connect(token: string, options: ConnectOptions = {}): Promise<Room> {
  const tracks = options.tracks?.map(asLocalTrack) ?? (await createLocalTracks({ audio: options.audio ?? true, video: options.video ?? true }));
  const signalling = await SignallingClient.open(options.signallingUrl ?? defaultSignallingUrl());
  return new Promise<Room>((resolve, reject) => {
    const onMessage = (message: { type: string; code?: string; message?: string }) => {
      if (message.type === 'joined') {
        cleanup();
        // Built synchronously inside this dispatch, so the offer that follows reaches the room.
        resolve(new Room(message as JoinedMessage, signalling, tracks));
      } else if (message.type === 'error') {
        cleanup();
        signalling.close();
        reject(HuddleError.fromMessage(message.code ?? 'INTERNAL', message.message ?? 'join refused'));
      }
    };
    const onClosed = (error: HuddleError | undefined) => {
      cleanup();
      reject(error ?? new HuddleError('MEDIA_FAILED', 'The server closed the connection'));
    };
    const cleanup = () => {
      signalling.off('message', onMessage);
      signalling.off('closed', onClosed);
    };
    signalling.on('message', onMessage);
    signalling.on('closed', onClosed);
    signalling.send({
      type: 'join',
      token,
      ...(options.name === undefined ? {} : { room: options.name }),
      publish: { audio: tracks.some((t) => t.kind === 'audio'), video: tracks.some((t) => t.kind === 'video') },
      sdk: SDK_VERSION,
    });
  });
}
