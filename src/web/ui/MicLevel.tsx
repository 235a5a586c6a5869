import type { LocalAudioTrack } from '../../sdk/index.js';
import { useMicLevel } from '../useLocalMedia';

/** The microphone's live level as a bar, so a person sees it hears them. */
export function MicLevel({ track, active }: { track: LocalAudioTrack; active: boolean }) {
  const level = useMicLevel(track, active);
  return (
    <label className="meter">
      <span>Microphone level</span>
      <meter min={0} max={1} value={level} />
    </label>
  );
}
