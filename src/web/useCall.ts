import { useCallback, useEffect, useRef, useState } from 'react';
import { createLocalAudioTrack, type LocalMediaTrack, type LocalVideoTrack } from '../sdk/index.js';
import { login, LoginError } from './login';
import { loadVideoApi, type CallParticipant, type CallRoom } from './video-api';

export type Phase = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export const MESSAGES = {
  nameRequired: 'Enter your name before connecting',
  connectionFailed: 'Connection failed. Is the backend running?',
} as const;

/** A join that has not succeeded by then has failed, whatever the backend is still trying. */
export const CONNECT_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number, onLate: (value: T) => void): Promise<T> {
  let timedOut = false;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new Error('timed out'));
    }, ms);
    promise.then(
      (value) => (timedOut ? onLate(value) : (clearTimeout(timer), resolve(value))),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** The call's state for the page: join, leave, and the live list of remote participants. */
export function useCall(roomName: string, camera: Promise<LocalVideoTrack | null>) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [participants, setParticipants] = useState<CallParticipant[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const roomRef = useRef<CallRoom | null>(null);
  const audioRef = useRef<LocalMediaTrack | null>(null);

  const join = useCallback(async (name: string) => {
    if (!name.trim()) {
      setNotice(MESSAGES.nameRequired);
      return;
    }
    setNotice(null);
    setPhase('connecting');
    try {
      const { token, backend, iceServers, iceTransportPolicy } = await login(name, roomName);
      const video = await loadVideoApi(backend);
      audioRef.current ??= await createLocalAudioTrack().catch(() => null);
      const tracks = [await camera, audioRef.current].filter((t): t is LocalMediaTrack => t !== null).map((t) => t.mediaStreamTrack);
      const room = await withTimeout(video.connect(token, { name: roomName, tracks, iceServers, iceTransportPolicy }), CONNECT_TIMEOUT_MS, (late) => late.disconnect());
      const refresh = () => setParticipants([...room.participants.values()]);
      room.on('participantConnected', refresh);
      room.on('participantDisconnected', refresh);
      room.on('reconnecting', () => setPhase('reconnecting'));
      room.on('reconnected', () => {
        setPhase('connected');
        refresh();
      });
      room.on('disconnected', (_room, error) => {
        roomRef.current = null;
        setParticipants([]);
        setPhase('idle');
        if (error) setNotice(`Disconnected: ${error.message}`);
      });
      roomRef.current = room;
      refresh();
      setPhase('connected');
    } catch (error) {
      console.warn('huddle: join failed:', error instanceof Error ? `${error.name}: ${error.message}` : error);
      // A refused name deserves its reason; anything else is the seed's message.
      setNotice(error instanceof LoginError && error.status === 400 ? error.message : MESSAGES.connectionFailed);
      setPhase('idle');
    }
  }, [roomName, camera]);

  const leave = useCallback(() => {
    roomRef.current?.disconnect();
  }, []);

  useEffect(() => () => void roomRef.current?.disconnect(), []);

  return { phase, participants, notice, setNotice, join, leave };
}
