import { useState } from 'react';
import { canChooseSpeaker, type useLocalMedia } from '../useLocalMedia';
import { Dialog } from './Dialog';
import { MicLevel } from './MicLevel';

type LocalMedia = ReturnType<typeof useLocalMedia>;

function DeviceSelect(props: {
  label: string;
  devices: MediaDeviceInfo[];
  current: string | undefined;
  onChoose: (id: string) => void;
}) {
  const [chosen, setChosen] = useState(props.current ?? '');
  if (props.devices.length === 0) return <p className="device-missing">{props.label}: none found</p>;
  return (
    <label className="device">
      <span>{props.label}</span>
      <select
        aria-label={props.label}
        value={chosen}
        onChange={(e) => {
          setChosen(e.target.value);
          props.onChoose(e.target.value);
        }}
      >
        {chosen === '' ? <option value="">Default</option> : null}
        {props.devices.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `${props.label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Camera, microphone and speaker choice, and the live microphone level: before and during a call. */
export function DeviceSettings(props: {
  open: boolean;
  onClose: () => void;
  media: LocalMedia;
  speakerId: string | undefined;
  onSpeaker: (id: string) => void;
  backendLine: string | null;
}) {
  const { media } = props;
  return (
    <Dialog title="Settings" open={props.open} onClose={props.onClose}>
      <div className="devices">
        <DeviceSelect
          label="Camera"
          devices={media.devices.cameras}
          current={media.camera?.mediaStreamTrack.getSettings().deviceId}
          onChoose={(id) => void media.chooseCamera(id)}
        />
        <DeviceSelect
          label="Microphone"
          devices={media.devices.microphones}
          current={media.microphone?.mediaStreamTrack.getSettings().deviceId}
          onChoose={(id) => void media.chooseMicrophone(id)}
        />
        {media.microphone ? <MicLevel track={media.microphone} active={media.microphoneOn} /> : null}
        {canChooseSpeaker ? (
          <DeviceSelect
            label="Speaker"
            devices={media.devices.speakers}
            current={props.speakerId}
            onChoose={props.onSpeaker}
          />
        ) : null}
      </div>
      {props.backendLine ? <p className="hint">{props.backendLine}</p> : null}
    </Dialog>
  );
}
