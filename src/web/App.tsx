import { useEffect, useMemo, useState } from 'react';
import type { BackendKind } from '../protocol/http.js';
import { ChatPanel } from './ChatPanel';
import { DeviceControls } from './DeviceControls';
import { loadVideoApi } from './load-video-api';
import { fetchBackend } from './login';
import { roomFromPath } from './room-name';
import { hasScreen, LocalTile, RemoteTile, ScreenTile } from './Tile';
import { type Phase, useCall } from './useCall';
import { useLocalMedia } from './useLocalMedia';

const BACKEND_LINE: Record<BackendKind, string> = {
  embedded: "Calls run on this server's own media server.",
  twilio: 'Calls run on Twilio Programmable Video.',
};
const BUTTON_LABEL = {
  idle: 'Join call',
  connecting: 'Connecting...',
  connected: 'Leave call',
  reconnecting: 'Leave call',
} as const;
const NAME_KEY = 'huddle.name';
/** Tiles on one page of the grid; more tiles get pages. */
export const GRID_PAGE_SIZE = 9;

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
  const { phase, participants, room } = call;
  const [backend, setBackend] = useState<BackendKind | null>(null);
  const [layout, setLayout] = useState<'grid' | 'speaker'>('grid');
  const [page, setPage] = useState(0);
  const [speakerId, setSpeakerId] = useState<string | undefined>(undefined);
  const inCall = phase === 'connected' || phase === 'reconnecting';

  useEffect(() => {
    void fetchBackend().then((kind) => {
      setBackend(kind);
      // Load the SDK's code now, while the person types their name, not after they press Join.
      if (kind) void loadVideoApi(kind).catch(() => undefined);
    });
  }, []);

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (inCall) return call.leave();
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
    call.setNotice(copied ? `Invite link copied: ${link}` : `Invite link: ${link}`);
  };

  // On twilio-video the published tracks are its own wrappers: mute through them too, so the
  // others are told. With Huddle's SDK they are the page's own tracks, and enable() is idempotent.
  const setMicrophone = (on: boolean) => {
    media.toggleMicrophone(on);
    for (const p of room?.localParticipant.audioTracks.values() ?? []) p.track.enable(on);
  };
  const setCamera = (on: boolean) => {
    media.toggleCamera(on);
    for (const p of room?.localParticipant.videoTracks.values() ?? []) if (p.trackName !== 'screen') p.track.enable(on);
  };

  const localSid = room?.localParticipant.sid;
  const tiles = [
    <LocalTile
      key="local"
      track={media.camera}
      speaking={inCall && call.speaker === localSid}
      microphoneMuted={!media.microphoneOn || !media.microphone}
      cameraOff={!media.cameraOn || !media.camera}
      participant={inCall ? room?.localParticipant : undefined}
    />,
    ...participants.map((p) => (
      <RemoteTile key={p.sid} participant={p} speaking={call.speaker === p.sid} sinkId={speakerId} />
    )),
  ];
  const screens = participants.filter(hasScreen).map((p) => <ScreenTile key={`screen-${p.sid}`} participant={p} />);
  const pages = Math.max(1, Math.ceil(tiles.length / GRID_PAGE_SIZE));
  const shownPage = Math.min(page, pages - 1);
  const featuredIndex = Math.max(0, participants.findIndex((p) => p.sid === call.speaker) + 1);

  return (
    <main className={inCall ? 'in-call' : 'pre-join'}>
      <h1>Huddle</h1>
      <p className="room-line">
        Room: <strong className="room-name">{roomName}</strong>
      </p>
      <form onSubmit={onSubmit} className="join">
        <label>
          Name:{' '}
          <input
            id="username"
            value={name}
            maxLength={128}
            disabled={phase !== 'idle'}
            onChange={(e) => setName(e.target.value)}
            autoComplete="name"
          />
        </label>{' '}
        {!inCall ? (
          <>
            <label className="toggle">
              <input
                type="checkbox"
                checked={media.cameraOn}
                disabled={!media.camera}
                onChange={(e) => media.toggleCamera(e.target.checked)}
              />{' '}
              Camera on
            </label>
            <label className="toggle">
              <input
                type="checkbox"
                checked={media.microphoneOn}
                disabled={!media.microphone}
                onChange={(e) => media.toggleMicrophone(e.target.checked)}
              />{' '}
              Microphone on
            </label>
          </>
        ) : null}
        <button id="join_leave" type="submit" disabled={phase === 'connecting'}>
          {BUTTON_LABEL[phase]}
        </button>
      </form>
      <DeviceControls media={media} onSpeaker={setSpeakerId} />
      {inCall ? (
        <div className="controls" role="toolbar" aria-label="Call controls">
          <button
            type="button"
            aria-pressed={!media.microphoneOn}
            disabled={!media.microphone}
            onClick={() => setMicrophone(!media.microphoneOn)}
          >
            {media.microphoneOn ? 'Mute microphone' : 'Unmute microphone'}
          </button>
          <button
            type="button"
            aria-pressed={!media.cameraOn}
            disabled={!media.camera}
            onClick={() => setCamera(!media.cameraOn)}
          >
            {media.cameraOn ? 'Turn camera off' : 'Turn camera on'}
          </button>
          {room?.sendChatMessage ? (
            <button
              type="button"
              aria-pressed={!!call.screen}
              onClick={() => void (call.screen ? call.stopScreenShare() : call.startScreenShare())}
            >
              {call.screen ? 'Stop sharing' : 'Share screen'}
            </button>
          ) : null}
          <button type="button" onClick={() => void copyInvite()}>
            Copy invite link
          </button>
          <button
            type="button"
            aria-pressed={layout === 'speaker'}
            onClick={() => setLayout(layout === 'grid' ? 'speaker' : 'grid')}
          >
            {layout === 'grid' ? 'Speaker view' : 'Grid view'}
          </button>
        </div>
      ) : null}
      <p id="notice" role="alert">
        {call.notice ?? media.problems.join(' ')}
      </p>
      <p id="count" aria-live="polite">
        {participantCountLine(phase, participants.length)}
      </p>
      <div className="call">
        {screens.length > 0 ? <div className="screens">{screens}</div> : null}
        {layout === 'speaker' && inCall ? (
          <div id="container" className="container speaker-view">
            <div className="featured">{tiles[featuredIndex]}</div>
            <div className="strip">{tiles.filter((_, i) => i !== featuredIndex)}</div>
          </div>
        ) : (
          <div id="container" className="container">
            {tiles.slice(shownPage * GRID_PAGE_SIZE, (shownPage + 1) * GRID_PAGE_SIZE)}
          </div>
        )}
        {layout === 'grid' && pages > 1 ? (
          <nav className="pages" aria-label="Grid pages">
            <button type="button" disabled={shownPage === 0} onClick={() => setPage(shownPage - 1)}>
              Previous page
            </button>
            <span>
              Page {shownPage + 1} of {pages}
            </span>
            <button type="button" disabled={shownPage === pages - 1} onClick={() => setPage(shownPage + 1)}>
              Next page
            </button>
          </nav>
        ) : null}
        {inCall && room?.sendChatMessage ? <ChatPanel messages={call.chat} onSend={call.sendChat} /> : null}
      </div>
      <footer id="backend">{backend ? BACKEND_LINE[backend] : null}</footer>
    </main>
  );
}
