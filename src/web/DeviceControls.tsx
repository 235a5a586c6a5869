import { canChooseSpeaker, type useLocalMedia, useMicLevel } from './useLocalMedia';

type LocalMedia = ReturnType<typeof useLocalMedia>;

function DeviceSelect(props: { label: string; devices: MediaDeviceInfo[]; onChoose: (id: string) => void }) {
  if (props.devices.length === 0) return null;
  return (
    <label className="device">
      {props.label}{' '}
      <select aria-label={props.label} onChange={(e) => props.onChoose(e.target.value)} defaultValue="">
        <option value="" disabled>
          Default
        </option>
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
export function DeviceControls({ media, onSpeaker }: { media: LocalMedia; onSpeaker: (id: string) => void }) {
  const level = useMicLevel(media.microphone, media.microphoneOn);
  return (
    <div className="devices">
      <DeviceSelect label="Camera" devices={media.devices.cameras} onChoose={(id) => void media.chooseCamera(id)} />
      <DeviceSelect
        label="Microphone"
        devices={media.devices.microphones}
        onChoose={(id) => void media.chooseMicrophone(id)}
      />
      {canChooseSpeaker ? <DeviceSelect label="Speaker" devices={media.devices.speakers} onChoose={onSpeaker} /> : null}
      {media.microphone ? (
        <label className="meter">
          Microphone level <meter min={0} max={1} value={level} />
        </label>
      ) : null}
    </div>
  );
}
