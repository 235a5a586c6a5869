import { MicOff, VideoOff } from 'lucide-react';
import type { CallParticipant } from '../video-api';
import { Avatar, remoteMarkers, useParticipantState } from './Tile';

function Person(props: { name: string; you?: boolean; microphoneMuted: boolean; cameraOff: boolean }) {
  return (
    <li className="person">
      <Avatar name={props.name} />
      <span className="person-name">
        {props.name}
        {props.you ? <span className="you"> (you)</span> : null}
      </span>
      {props.cameraOff ? <VideoOff role="img" aria-label="camera off" /> : null}
      {props.microphoneMuted ? <MicOff role="img" aria-label="microphone muted" /> : null}
    </li>
  );
}

/** A remote person's row, following their microphone and camera as they change them. */
function RemotePerson({ participant }: { participant: CallParticipant }) {
  useParticipantState(participant);
  return <Person name={participant.identity} {...remoteMarkers(participant)} />;
}

/** Everyone in the call, you first, with their microphone and camera state. */
export function ParticipantsPanel(props: {
  countLine: string;
  name: string;
  participants: CallParticipant[];
  microphoneMuted: boolean;
  cameraOff: boolean;
}) {
  return (
    <div className="people">
      <p className="people-count">{props.countLine}</p>
      <ul className="people-list">
        <Person name={props.name} you microphoneMuted={props.microphoneMuted} cameraOff={props.cameraOff} />
        {props.participants.map((p) => (
          <RemotePerson key={p.sid} participant={p} />
        ))}
      </ul>
    </div>
  );
}
