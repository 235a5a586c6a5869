import { useEffect, useMemo, useState } from 'react';
import { createLocalVideoTrack, type LocalVideoTrack } from '../sdk/index.js';
import { fetchBackend, type BackendKind } from './login';
import { roomFromPath } from './room-name';
import { LocalTile, RemoteTile } from './Tile';
import { useCall, type Phase } from './useCall';

const BACKEND_LINE: Record<BackendKind, string> = {
  embedded: "Calls run on this server's own media server.",
  twilio: 'Calls run on Twilio Programmable Video.',
};

const BUTTON_LABEL = { idle: 'Join call', connecting: 'Connecting...', connected: 'Leave call', reconnecting: 'Leave call' } as const;

function participantCountLine(phase: Phase, remoteCount: number): string {
  if (phase === 'reconnecting') return 'Reconnecting…';
  if (phase !== 'connected') return 'Disconnected.';
  const total = remoteCount + 1;
  return `${total} ${total === 1 ? 'participant' : 'participants'} online.`;
}

export function App() {
  const roomName = useMemo(() => roomFromPath(location.pathname), []);
  const [name, setName] = useState('');
  const [localVideo, setLocalVideo] = useState<LocalVideoTrack | null>(null);
  // One camera request for the page's life: the preview shows it, and a join waits for it.
  const camera = useMemo(() => createLocalVideoTrack().catch(() => null), []);
  const { phase, participants, notice, setNotice, join, leave } = useCall(roomName, camera);
  const [backend, setBackend] = useState<BackendKind | null>(null);

  useEffect(() => {
    void fetchBackend().then(setBackend);
  }, []);

  useEffect(() => {
    void camera.then((track) => {
      if (track) setLocalVideo(track);
      else setNotice('No camera is available: you can still join to see and hear the others.');
    });
  }, [camera, setNotice]);

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (phase === 'connected' || phase === 'reconnecting') leave();
    else if (phase === 'idle') void join(name);
  };

  return (
    <main>
      <h1>Huddle</h1>
      <p className="room-line">
        Room: <strong className="room-name">{roomName}</strong>
      </p>
      <form onSubmit={onSubmit}>
        <label>
          Name:{' '}
          <input id="username" value={name} maxLength={128} disabled={phase !== 'idle'} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        </label>{' '}
        <button id="join_leave" type="submit" disabled={phase === 'connecting'}>
          {BUTTON_LABEL[phase]}
        </button>
      </form>
      <p id="notice" role="alert">{notice}</p>
      <p id="count" aria-live="polite">{participantCountLine(phase, participants.length)}</p>
      <div id="container" className="container">
        <LocalTile track={localVideo} />
        {participants.map((p) => (
          <RemoteTile key={p.sid} participant={p} />
        ))}
      </div>
      <footer id="backend">{backend ? BACKEND_LINE[backend] : null}</footer>
    </main>
  );
}
