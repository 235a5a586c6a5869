import { useCallback, useEffect, useRef, useState } from 'react';
import { connect, createLocalAudioTrack, type LocalMediaTrack, type LocalVideoTrack, type RemoteParticipant, type Room } from '../sdk/index.js';
import { login, LoginError } from './login';

export type Phase = 'idle' | 'connecting' | 'connected';

export const MESSAGES = {
  nameRequired: 'Enter your name before connecting',
  connectionFailed: 'Connection failed. Is the backend running?',
} as const;

declare global {
  interface Window {
    /** The current room, for diagnostics from the console (as Twilio's reference app does). */
    huddleRoom?: Room;
  }
}

/** The call's state for the page: join, leave, and the live list of remote participants. */
export function useCall(roomName: string, localVideo: LocalVideoTrack | null) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [participants, setParticipants] = useState<RemoteParticipant[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const roomRef = useRef<Room | null>(null);
  const audioRef = useRef<LocalMediaTrack | null>(null);

  const join = useCallback(async (name: string) => {
    if (!name.trim()) {
      setNotice(MESSAGES.nameRequired);
      return;
    }
    setNotice(null);
    setPhase('connecting');
    try {
      const { token } = await login(name, roomName);
      audioRef.current ??= await createLocalAudioTrack().catch(() => null);
      const tracks = [localVideo, audioRef.current].filter((t): t is LocalMediaTrack => t !== null);
      const room = await connect(token, { name: roomName, tracks });
      const refresh = () => setParticipants([...room.participants.values()]);
      room.on('participantConnected', refresh);
      room.on('participantDisconnected', refresh);
      room.on('disconnected', (_room, error) => {
        roomRef.current = null;
        setParticipants([]);
        setPhase('idle');
        if (error) setNotice(`Disconnected: ${error.message}`);
      });
      roomRef.current = room;
      window.huddleRoom = room;
      refresh();
      setPhase('connected');
    } catch (error) {
      // A refused name deserves its reason; anything else is the seed's message.
      setNotice(error instanceof LoginError && error.status === 400 ? error.message : MESSAGES.connectionFailed);
      setPhase('idle');
    }
  }, [roomName, localVideo]);

  const leave = useCallback(() => {
    roomRef.current?.disconnect();
  }, []);

  useEffect(() => () => void roomRef.current?.disconnect(), []);

  return { phase, participants, notice, setNotice, join, leave };
}
