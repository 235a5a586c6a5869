import { LoaderCircle, MonitorUp, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useShortcuts } from '../ui/shortcuts';
import type { CallState } from '../useCall';
import type { LocalMedia } from '../useLocalMedia';
import { ChatPanel } from './ChatPanel';
import { ParticipantsPanel } from './ParticipantsPanel';
import { SidePanel } from './SidePanel';
import { Stage } from './Stage';
import { type Panel, Toolbar } from './Toolbar';
import { usePictureInPicture } from './usePictureInPicture';

const canShareScreen = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;

/** Says who came and went, but not who was already there when this page joined. */
function useArrivalsAndDepartures(call: CallState, toast: (text: string) => void) {
  const known = useRef(new Map(call.participants.map((p) => [p.sid, p.identity])));
  useEffect(() => {
    const now = new Map(call.participants.map((p) => [p.sid, p.identity]));
    for (const [sid, identity] of now) if (!known.current.has(sid)) toast(`${identity} joined`);
    for (const [sid, identity] of known.current) if (!now.has(sid)) toast(`${identity} left`);
    known.current = now;
  }, [call.participants, toast]);
}

/** Chat messages from others that arrived while the chat was closed. */
function useUnread(call: CallState, chatOpen: boolean, myIdentity: string | undefined): number {
  const [seen, setSeen] = useState(call.chat.length);
  useEffect(() => {
    if (chatOpen) setSeen(call.chat.length);
  }, [chatOpen, call.chat.length]);
  return call.chat.slice(seen).filter((m) => m.identity !== myIdentity).length;
}

export interface CallScreenProps {
  roomName: string;
  name: string;
  countLine: string;
  media: LocalMedia;
  call: CallState;
  sinkId: string | undefined;
  setMicrophone: (on: boolean) => void;
  setCamera: (on: boolean) => void;
  onSettings: () => void;
  onHelp: () => void;
  onInvite: () => void;
  toast: (text: string) => void;
}

/** In the call: the stage fills the window above the toolbar, with a side panel beside it when one is open. */
export function CallScreen(props: CallScreenProps) {
  const { media, call } = props;
  const [panel, setPanel] = useState<Panel>(null);
  const [speakerView, setSpeakerView] = useState(false);
  const [lastSpeaker, setLastSpeaker] = useState<string | null>(null);
  const unread = useUnread(call, panel === 'chat', call.room?.localParticipant.identity);
  const hasChat = !!call.room?.sendChatMessage;
  useArrivalsAndDepartures(call, props.toast);
  useEffect(() => {
    if (call.speaker) setLastSpeaker(call.speaker);
  }, [call.speaker]);
  const microphone = () => props.setMicrophone(!media.microphoneOn);
  const camera = () => props.setCamera(!media.cameraOn);
  usePictureInPicture(call.speaker, media.microphoneOn, media.cameraOn, {
    microphone,
    camera,
    hangUp: call.leave,
  });
  useShortcuts({
    chat: hasChat ? () => setPanel(panel === 'chat' ? null : 'chat') : undefined,
    people: () => setPanel(panel === 'people' ? null : 'people'),
  });
  const microphoneMuted = !media.microphoneOn || !media.microphone;
  const cameraOff = !media.cameraOn || !media.camera;

  return (
    <div className={`call-screen${panel ? ' with-panel' : ''}`}>
      {call.phase === 'reconnecting' ? (
        <div className="banner" role="status">
          <LoaderCircle className="spin" aria-hidden="true" /> Reconnecting… your connection dropped; the call carries
          on as soon as it is back.
        </div>
      ) : null}
      {call.notice ? (
        <div role="alert" className="notice">
          <p id="notice">{call.notice}</p>
          <button type="button" className="close-button" aria-label="Dismiss" onClick={() => call.setNotice(null)}>
            <X aria-hidden="true" />
          </button>
        </div>
      ) : null}
      <main className="stage-area">
        {call.screen ? (
          <div className="presenting" role="status">
            <MonitorUp aria-hidden="true" /> You are sharing your screen
            <button type="button" onClick={call.stopScreenShare}>
              Stop presenting
            </button>
          </div>
        ) : null}
        <Stage
          participants={call.participants}
          localParticipant={call.room?.localParticipant}
          ownName={props.name}
          camera={media.camera}
          microphoneMuted={microphoneMuted}
          cameraOff={cameraOff}
          speaker={call.speaker}
          lastSpeaker={lastSpeaker}
          speakerView={speakerView}
          sinkId={props.sinkId}
        />
      </main>
      {panel === 'chat' && hasChat ? (
        <SidePanel title="Chat" onClose={() => setPanel(null)}>
          <ChatPanel messages={call.chat} onSend={call.sendChat} />
        </SidePanel>
      ) : null}
      {panel === 'people' ? (
        <SidePanel title="Participants" onClose={() => setPanel(null)}>
          <ParticipantsPanel
            countLine={props.countLine}
            name={props.name}
            participants={call.participants}
            microphoneMuted={microphoneMuted}
            cameraOff={cameraOff}
          />
        </SidePanel>
      ) : null}
      <Toolbar
        roomName={props.roomName}
        countLine={props.countLine}
        microphoneOn={media.microphoneOn}
        hasMicrophone={!!media.microphone}
        cameraOn={media.cameraOn}
        hasCamera={!!media.camera}
        onMicrophone={microphone}
        onCamera={camera}
        onShareScreen={
          hasChat && canShareScreen
            ? () => void (call.screen ? call.stopScreenShare() : call.startScreenShare())
            : undefined
        }
        sharing={!!call.screen}
        speakerView={speakerView}
        onLayout={() => setSpeakerView(!speakerView)}
        panel={panel}
        onPanel={setPanel}
        hasChat={hasChat}
        unread={unread}
        onSettings={props.onSettings}
        onHelp={props.onHelp}
        onInvite={props.onInvite}
        onLeave={call.leave}
      />
    </div>
  );
}
