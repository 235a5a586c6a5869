import {
  Ellipsis,
  Keyboard,
  LayoutGrid,
  Link,
  MessageSquareText,
  Mic,
  MicOff,
  MonitorUp,
  MonitorX,
  PhoneOff,
  Presentation,
  Settings,
  Users,
  Video,
  VideoOff,
} from 'lucide-react';
import { useState } from 'react';
import { IconButton } from '../ui/IconButton';
import { SHORTCUTS } from '../ui/shortcuts';

export type Panel = 'chat' | 'people' | null;

export interface ToolbarProps {
  roomName: string;
  countLine: string;
  microphoneOn: boolean;
  hasMicrophone: boolean;
  cameraOn: boolean;
  hasCamera: boolean;
  onMicrophone: () => void;
  onCamera: () => void;
  /** Absent where the backend or the browser cannot share a screen. */
  onShareScreen?: () => void;
  sharing: boolean;
  speakerView: boolean;
  onLayout: () => void;
  panel: Panel;
  onPanel: (panel: Panel) => void;
  /** Absent on a backend without chat. */
  hasChat: boolean;
  unread: number;
  onSettings: () => void;
  onHelp: () => void;
  onInvite: () => void;
  onLeave: () => void;
}

/**
 * The call's controls at the bottom: the room and count on the left, microphone, camera, screen,
 * layout, settings and leave in the middle, invite, help, people and chat on the right. On a
 * phone the less used ones fold behind 'More options'.
 */
export function Toolbar(props: ToolbarProps) {
  const [more, setMore] = useState(false);
  const togglePanel = (panel: Exclude<Panel, null>) => props.onPanel(props.panel === panel ? null : panel);
  return (
    <footer className={`toolbar${more ? ' expanded' : ''}`}>
      <div className="call-info">
        <span className="room-name">{props.roomName}</span>
        <span className="separator" aria-hidden="true">
          ·
        </span>
        <span id="count" aria-live="polite">
          {props.countLine}
        </span>
      </div>
      <div className="controls" role="toolbar" aria-label="Call controls">
        <IconButton
          label={props.microphoneOn ? 'Mute microphone' : 'Unmute microphone'}
          shortcut={SHORTCUTS.microphone}
          icon={props.microphoneOn && props.hasMicrophone ? <Mic /> : <MicOff />}
          off={!props.microphoneOn || !props.hasMicrophone}
          disabled={!props.hasMicrophone}
          onClick={props.onMicrophone}
        />
        <IconButton
          label={props.cameraOn ? 'Turn camera off' : 'Turn camera on'}
          shortcut={SHORTCUTS.camera}
          icon={props.cameraOn && props.hasCamera ? <Video /> : <VideoOff />}
          off={!props.cameraOn || !props.hasCamera}
          disabled={!props.hasCamera}
          onClick={props.onCamera}
        />
        {props.onShareScreen ? (
          <IconButton
            label={props.sharing ? 'Stop sharing' : 'Share screen'}
            icon={props.sharing ? <MonitorX /> : <MonitorUp />}
            pressed={props.sharing}
            className="secondary"
            onClick={props.onShareScreen}
          />
        ) : null}
        <IconButton
          label={props.speakerView ? 'Grid view' : 'Speaker view'}
          icon={props.speakerView ? <LayoutGrid /> : <Presentation />}
          className="secondary"
          onClick={props.onLayout}
        />
        <IconButton label="Settings" icon={<Settings />} className="secondary" onClick={props.onSettings} />
        <IconButton
          label="More options"
          icon={<Ellipsis />}
          className="more"
          expanded={more}
          onClick={() => setMore(!more)}
        />
        <button
          type="button"
          className="leave"
          aria-label="Leave call"
          data-tooltip="Leave call"
          onClick={props.onLeave}
        >
          <PhoneOff aria-hidden="true" />
        </button>
      </div>
      <div className="side-controls">
        <IconButton label="Copy invite link" icon={<Link />} className="secondary" onClick={props.onInvite} />
        <IconButton
          label="Keyboard shortcuts"
          shortcut={SHORTCUTS.help}
          icon={<Keyboard />}
          className="secondary"
          onClick={props.onHelp}
        />
        <IconButton
          label="Participants"
          shortcut={SHORTCUTS.people}
          icon={<Users />}
          expanded={props.panel === 'people'}
          controls="side-panel"
          onClick={() => togglePanel('people')}
        />
        {props.hasChat ? (
          <IconButton
            label={props.unread > 0 ? `Chat (${props.unread} unread)` : 'Chat'}
            shortcut={SHORTCUTS.chat}
            icon={<MessageSquareText />}
            expanded={props.panel === 'chat'}
            controls="side-panel"
            badge={props.unread}
            onClick={() => togglePanel('chat')}
          />
        ) : null}
      </div>
    </footer>
  );
}
