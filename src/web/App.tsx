import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BackendKind } from '../protocol/http.js';
import { CallScreen } from './call/CallScreen';
import { loadVideoApi } from './load-video-api';
import { fetchBackend } from './login';
import { PreJoin } from './prejoin/PreJoin';
import { roomFromPath } from './room-name';
import { DeviceSettings } from './ui/DeviceSettings';
import { ShortcutsHelp } from './ui/ShortcutsHelp';
import { useShortcuts } from './ui/shortcuts';
import { Toasts, useToasts } from './ui/Toasts';
import { type Phase, useCall } from './useCall';
import { useLocalMedia } from './useLocalMedia';

const BACKEND_LINE: Record<BackendKind, string> = {
  embedded: "Calls run on this server's own media server.",
  twilio: 'Calls run on Twilio Programmable Video.',
};
const NAME_KEY = 'huddle.name';

function participantCountLine(phase: Phase, remoteCount: number): string {
  if (phase === 'reconnecting') return 'Reconnecting…';
  if (phase !== 'connected') return 'Disconnected.';
  const total = remoteCount + 1;
  return `${total} ${total === 1 ? 'participant' : 'participants'} online.`;
}

export function App() {
  const roomName = useMemo(() => roomFromPath(location.pathname), []);
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? '');
  const media = useLocalMedia();
  const call = useCall(roomName, media.ready);
  const { phase, room } = call;
  const [backend, setBackend] = useState<BackendKind | null>(null);
  const [speakerId, setSpeakerId] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<'settings' | 'help' | null>(null);
  const { toasts, show: toast } = useToasts();
  const inCall = phase === 'connected' || phase === 'reconnecting';
  const countLine = participantCountLine(phase, call.participants.length);

  useEffect(() => {
    document.title = `${roomName} · Huddle`;
  }, [roomName]);

  useEffect(() => {
    void fetchBackend().then((kind) => {
      setBackend(kind);
      // Load the SDK's code now, while the person types their name, not after they press Join.
      if (kind) void loadVideoApi(kind).catch(() => undefined);
    });
  }, []);

  const join = () => {
    if (phase !== 'idle') return;
    if (name.trim()) localStorage.setItem(NAME_KEY, name);
    void call.join(name);
  };

  const copyInvite = async () => {
    const link = `${location.origin}/room/${encodeURIComponent(roomName)}`;
    const copied = await navigator.clipboard?.writeText(link).then(
      () => true,
      () => false,
    );
    toast(copied ? 'Invite link copied' : `Invite link: ${link}`);
  };

  // On twilio-video the published tracks are its own wrappers: mute through them too, so the
  // others are told. With Huddle's SDK they are the page's own tracks, and enable() is idempotent.
  const setMicrophone = useCallback(
    (on: boolean) => {
      media.toggleMicrophone(on);
      for (const p of room?.localParticipant.audioTracks.values() ?? []) p.track.enable(on);
    },
    [media.toggleMicrophone, room],
  );
  const setCamera = useCallback(
    (on: boolean) => {
      media.toggleCamera(on);
      for (const p of room?.localParticipant.videoTracks.values() ?? [])
        if (p.trackName !== 'screen') p.track.enable(on);
    },
    [media.toggleCamera, room],
  );

  useShortcuts({
    microphone: media.microphone ? () => setMicrophone(!media.microphoneOn) : undefined,
    camera: media.camera ? () => setCamera(!media.cameraOn) : undefined,
    help: () => setDialog('help'),
  });

  return (
    <>
      {inCall ? (
        <CallScreen
          roomName={roomName}
          name={name}
          countLine={countLine}
          media={media}
          call={call}
          sinkId={speakerId}
          setMicrophone={setMicrophone}
          setCamera={setCamera}
          onSettings={() => setDialog('settings')}
          onHelp={() => setDialog('help')}
          onInvite={() => void copyInvite()}
          toast={toast}
        />
      ) : (
        <PreJoin
          roomName={roomName}
          name={name}
          onName={setName}
          phase={phase}
          countLine={countLine}
          notice={call.notice}
          backendLine={backend ? BACKEND_LINE[backend] : null}
          media={media}
          onJoin={join}
          onSettings={() => setDialog('settings')}
        />
      )}
      <DeviceSettings
        open={dialog === 'settings'}
        // A dialog's close event comes a moment late: it must not close the one opened since.
        onClose={() => setDialog((open) => (open === 'settings' ? null : open))}
        media={media}
        speakerId={speakerId}
        onSpeaker={setSpeakerId}
        backendLine={backend ? BACKEND_LINE[backend] : null}
      />
      <ShortcutsHelp open={dialog === 'help'} onClose={() => setDialog((open) => (open === 'help' ? null : open))} />
      <Toasts toasts={toasts} />
    </>
  );
}
