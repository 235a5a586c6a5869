import { useCallback, useEffect, useRef, useState } from 'react';
import { type ChatEntry, createLocalScreenTrack, type LocalMediaTrack, type LocalVideoTrack } from '../sdk/index.js';
import { loadVideoApi } from './load-video-api';
import { login } from './login';
import type { CallParticipant, CallRoom } from './video-api';

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
      (value) => {
        if (timedOut) return onLate(value);
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The call's state for the page: join, leave, the live participants, chat, speaker, screen share. */
export function useCall(roomName: string, localTracks: Promise<Array<LocalMediaTrack | null>>) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [room, setRoom] = useState<CallRoom | null>(null);
  const [participants, setParticipants] = useState<CallParticipant[]>([]);
  const [chat, setChat] = useState<ChatEntry[]>([]);
  const [speaker, setSpeaker] = useState<string | null>(null);
  const [screen, setScreen] = useState<LocalVideoTrack | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const roomRef = useRef<CallRoom | null>(null);

  const join = useCallback(
    async (name: string) => {
      if (!name.trim()) {
        setNotice(MESSAGES.nameRequired);
        return;
      }
      setNotice(null);
      setPhase('connecting');
      try {
        const { token, backend, iceServers, iceTransportPolicy } = await login(name, roomName);
        const video = await loadVideoApi(backend);
        const tracks = (await localTracks).filter((t): t is LocalMediaTrack => t !== null);
        const joined = await withTimeout(
          video.connect(token, { name: roomName, tracks, iceServers, iceTransportPolicy }),
          CONNECT_TIMEOUT_MS,
          (late) => late.disconnect(),
        );
        const refresh = () => setParticipants([...joined.participants.values()]);
        joined.on('participantConnected', refresh);
        joined.on('participantDisconnected', refresh);
        // A screen share appears and goes as a publication, not a participant.
        joined.on('trackPublished', refresh);
        joined.on('trackUnpublished', refresh);
        joined.on('dominantSpeakerChanged', (p) => setSpeaker(p?.sid ?? null));
        joined.on('chatMessage', () => setChat([...(joined.chatMessages ?? [])]));
        joined.on('reconnecting', () => setPhase('reconnecting'));
        joined.on('reconnected', () => {
          setPhase('connected');
          refresh();
        });
        joined.on('disconnected', (_room, error) => {
          roomRef.current = null;
          setRoom(null);
          setParticipants([]);
          setSpeaker(null);
          setScreen(null);
          setPhase('idle');
          if (error) setNotice(`Disconnected: ${error.message}`);
        });
        roomRef.current = joined;
        setRoom(joined);
        setChat([...(joined.chatMessages ?? [])]);
        refresh();
        setPhase('connected');
      } catch (error) {
        console.warn('huddle: join failed:', error instanceof Error ? `${error.name}: ${error.message}` : error);
        // A refused name deserves its reason; anything else is the seed's message.
        // (a login refusal is the protocol's HuddleError, a join refusal the SDK's: both have a status)
        const status = error instanceof Error ? (error as { status?: unknown }).status : undefined;
        setNotice(status === 400 ? (error as Error).message : MESSAGES.connectionFailed);
        setPhase('idle');
      }
    },
    [roomName, localTracks],
  );

  const leave = useCallback(() => {
    roomRef.current?.disconnect();
  }, []);

  const startScreenShare = useCallback(async () => {
    const current = roomRef.current;
    if (!current) return;
    let track: LocalVideoTrack;
    try {
      track = await createLocalScreenTrack();
    } catch {
      setNotice('Screen sharing was cancelled or is not available.');
      return;
    }
    // The browser's own 'Stop sharing' ends the track; the SDK unpublishes it, the page forgets it.
    track.once('stopped', () => setScreen((s) => (s === track ? null : s)));
    setScreen(track);
    try {
      await current.localParticipant.publishTrack(track as never);
    } catch (error) {
      console.warn(
        'huddle: screen share failed:',
        // Huddle's SDK gives its own code beside twilio-video's number; twilio-video only the number.
        error instanceof Error
          ? `${(error as { huddleCode?: string }).huddleCode ?? (error as { code?: number }).code}: ${error.message}`
          : error,
      );
      // Still capturing: the server refused it. Stopped already: the person stopped it first; no notice.
      if (track.mediaStreamTrack.readyState === 'live')
        setNotice(`Screen sharing failed: ${error instanceof Error ? error.message : error}`);
      track.stop();
      setScreen((s) => (s === track ? null : s));
    }
  }, []);

  const stopScreenShare = useCallback(() => {
    setScreen((track) => {
      if (track) {
        roomRef.current?.localParticipant.unpublishTrack(track as never);
        track.stop();
      }
      return null;
    });
  }, []);

  const sendChat = useCallback((text: string) => roomRef.current?.sendChatMessage?.(text), []);

  useEffect(() => () => void roomRef.current?.disconnect(), []);

  return {
    phase,
    room,
    participants,
    chat,
    speaker,
    screen,
    notice,
    setNotice,
    join,
    leave,
    startScreenShare,
    stopScreenShare,
    sendChat,
  };
}

export type CallState = ReturnType<typeof useCall>;
