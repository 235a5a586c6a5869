import { CameraOff, Mic, MicOff, Settings, TriangleAlert, Video, VideoOff } from 'lucide-react';
import type { CSSProperties } from 'react';
import { useLocalVideo } from '../call/Tile';
import { SHORTCUTS } from '../ui/shortcuts';
import type { Phase } from '../useCall';
import { type LocalMedia, problemText, useMicLevel } from '../useLocalMedia';

export interface PreJoinProps {
  roomName: string;
  name: string;
  onName: (name: string) => void;
  phase: Phase;
  countLine: string;
  notice: string | null;
  backendLine: string | null;
  media: LocalMedia;
  onJoin: () => void;
  onSettings: () => void;
}

/** Before joining: a big mirrored preview with the microphone and camera on it, the name, and Join. */
export function PreJoin(props: PreJoinProps) {
  const { media } = props;
  const mediaRef = useLocalVideo(media.camera);
  const level = useMicLevel(media.microphone, media.microphoneOn);
  const cameraShown = !!media.camera && media.cameraOn;
  const problems = (['camera', 'microphone'] as const).flatMap((device) => {
    const problem = media.problems[device];
    return problem ? [problemText(device, problem)] : [];
  });
  const notice = props.notice ?? (problems.length > 0 ? problems.join(' ') : null);
  return (
    <main className="prejoin">
      <section className="preview-column" aria-label="Your camera and microphone">
        {/* The preview is this page's own tile: it says Me, as the tile in the call does. */}
        {/* biome-ignore lint/a11y/useSemanticElements: a tile groups a video with its labels. */}
        <div className={`participant local preview${cameraShown ? '' : ' video-off'}`} role="group" aria-label="Me">
          <div className="media" ref={mediaRef}>
            {!cameraShown ? (
              <div className="camera-off">
                {media.problems.camera ? <CameraOff aria-hidden="true" className="big-icon" /> : null}
                <span>
                  {media.problems.camera ? 'Camera unavailable' : media.camera ? 'Camera is off' : 'Starting camera…'}
                </span>
              </div>
            ) : null}
          </div>
          <div className="label">
            <span className="name">Me</span>
          </div>
          {media.microphone ? (
            <label className="visually-hidden">
              Microphone level <meter min={0} max={1} value={media.microphoneOn ? level : 0} />
            </label>
          ) : null}
          <div className="preview-controls">
            <button
              type="button"
              className={`icon-button mic-button${media.microphoneOn && media.microphone ? '' : ' off'}`}
              // The button glows with the microphone's level: a person sees at a glance that it hears them.
              style={{ '--level': level } as CSSProperties}
              aria-label={media.microphoneOn ? 'Mute microphone' : 'Unmute microphone'}
              data-tooltip={`${media.microphoneOn ? 'Mute microphone' : 'Unmute microphone'} (${SHORTCUTS.microphone})`}
              disabled={!media.microphone}
              onClick={() => media.toggleMicrophone(!media.microphoneOn)}
            >
              {media.microphoneOn && media.microphone ? <Mic aria-hidden="true" /> : <MicOff aria-hidden="true" />}
            </button>
            <button
              type="button"
              className={`icon-button${media.cameraOn && media.camera ? '' : ' off'}`}
              aria-label={media.cameraOn ? 'Turn camera off' : 'Turn camera on'}
              data-tooltip={`${media.cameraOn ? 'Turn camera off' : 'Turn camera on'} (${SHORTCUTS.camera})`}
              disabled={!media.camera}
              onClick={() => media.toggleCamera(!media.cameraOn)}
            >
              {media.cameraOn && media.camera ? <Video aria-hidden="true" /> : <VideoOff aria-hidden="true" />}
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Settings"
              data-tooltip="Camera, microphone and speaker"
              onClick={props.onSettings}
            >
              <Settings aria-hidden="true" />
            </button>
          </div>
        </div>
      </section>
      <section className="join-column">
        <p className="brand">Huddle</p>
        <h1>Ready to join?</h1>
        <p className="room-line">
          Room <strong className="room-name">{props.roomName}</strong>
        </p>
        <p id="count" className="count-line" aria-live="polite">
          {props.countLine}
        </p>
        <form
          className="join"
          onSubmit={(event) => {
            event.preventDefault();
            props.onJoin();
          }}
        >
          <label htmlFor="username">Name</label>
          <input
            id="username"
            value={props.name}
            maxLength={128}
            placeholder="Your name"
            disabled={props.phase !== 'idle'}
            onChange={(e) => props.onName(e.target.value)}
            autoComplete="name"
          />
          <button id="join_leave" type="submit" className="join-button" disabled={props.phase !== 'idle'}>
            {props.phase === 'idle' ? 'Join call' : 'Connecting…'}
          </button>
        </form>
        {notice ? (
          <p id="notice" role="alert" className="prejoin-notice">
            <TriangleAlert aria-hidden="true" />
            <span>{notice}</span>
          </p>
        ) : null}
        <footer id="backend">{props.backendLine}</footer>
      </section>
    </main>
  );
}
