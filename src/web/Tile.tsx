import { useEffect, useReducer, useRef, useState } from 'react';
import type { LocalVideoTrack } from '../sdk/index.js';
import type { CallNetworkQuality, CallParticipant, CallTrack, CallTrackPublication } from './video-api';

/** Five bars, as many lit as the level (0 to 5); nothing before the first measure. */
function NetworkQualityBars({ level }: { level: number | null }) {
  if (level === null) return null;
  const text = `Network quality ${level} of 5`;
  return (
    <span className={`network-quality level-${level}`} role="img" aria-label={text} title={text}>
      {[1, 2, 3, 4, 5].map((bar) => (
        <i key={bar} className={bar <= level ? 'on' : undefined} />
      ))}
    </span>
  );
}

/** A participant's network quality level, following its changes. */
export function useNetworkQualityLevel(participant: CallNetworkQuality | undefined): number | null {
  const [level, setLevel] = useState(participant?.networkQualityLevel ?? null);
  useEffect(() => {
    if (!participant) return;
    setLevel(participant.networkQualityLevel);
    participant.on('networkQualityLevelChanged', setLevel);
    return () => void participant.off('networkQualityLevelChanged', setLevel);
  }, [participant]);
  return level;
}

/** A grid cell: the media on top, the name under it (always as text), markers beside the name. */
function TileFrame(props: {
  className: string;
  name: string;
  mediaRef: React.RefObject<HTMLDivElement | null>;
  sid?: string;
  speaking?: boolean;
  microphoneMuted?: boolean;
  cameraOff?: boolean;
  networkQuality?: number | null;
  /** Their connection dropped; the server holds their seat while they resume. */
  reconnecting?: boolean;
}) {
  const label = `${props.name}${props.reconnecting ? ', reconnecting' : ''}${props.microphoneMuted ? ', microphone muted' : ''}${props.cameraOff ? ', camera off' : ''}${props.speaking ? ', speaking' : ''}`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a tile groups a video with its labels; fieldset is for form controls.
    <div
      className={`participant ${props.className}${props.speaking ? ' speaking' : ''}`}
      data-sid={props.sid}
      role="group"
      aria-label={label}
    >
      <div className="media" ref={props.mediaRef}>
        {props.cameraOff ? <div className="camera-off">Camera off</div> : null}
        {props.reconnecting ? <div className="reconnecting">Reconnecting…</div> : null}
      </div>
      <div className="label">
        <span className="name">{props.name}</span>
        <NetworkQualityBars level={props.networkQuality ?? null} />
        {props.microphoneMuted ? (
          <span className="muted-marker" role="img" aria-label="microphone muted" title="Microphone muted">
            🔇
          </span>
        ) : null}
      </div>
    </div>
  );
}

export function LocalTile(props: {
  track: LocalVideoTrack | null;
  speaking: boolean;
  microphoneMuted: boolean;
  cameraOff: boolean;
  /** This page's participant once in the call (its network quality). */
  participant?: CallNetworkQuality;
}) {
  const networkQuality = useNetworkQualityLevel(props.participant);
  const mediaRef = useRef<HTMLDivElement>(null);
  const { track } = props;
  useEffect(() => {
    const container = mediaRef.current;
    if (!track || !container) return;
    const element = track.attach();
    element.classList.add('mirrored');
    container.appendChild(element);
    return () => {
      track.detach(element);
      element.remove();
    };
  }, [track]);
  return (
    <TileFrame
      className="local"
      name="Me"
      mediaRef={mediaRef}
      speaking={props.speaking}
      microphoneMuted={props.microphoneMuted}
      cameraOff={props.cameraOff}
      networkQuality={networkQuality}
    />
  );
}

const isMedia = (track: CallTrack | null): track is CallTrack => typeof track?.attach === 'function';
const publications = (p: CallParticipant) => [...p.audioTracks.values(), ...p.videoTracks.values()];

/** Re-renders when the participant or its tracks change state (reconnecting, muted, published, unpublished). */
function useParticipantState(participant: CallParticipant): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const trackEvents = ['trackDisabled', 'trackEnabled', 'trackPublished', 'trackUnpublished'] as const;
    const events = ['reconnecting', 'reconnected'] as const;
    for (const event of trackEvents) participant.on(event, bump);
    for (const event of events) participant.on(event, bump);
    return () => {
      for (const event of trackEvents) participant.off(event, bump);
      for (const event of events) participant.off(event, bump);
    };
  }, [participant]);
}

/** Attaches the participant's tracks that pass `wanted` to the container while mounted. */
function useAttachedTracks(
  participant: CallParticipant,
  wanted: (track: CallTrack) => boolean,
  sinkId: string | undefined,
) {
  const mediaRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = mediaRef.current!;
    const show = (track: CallTrack) => {
      if (!isMedia(track) || !wanted(track)) return;
      const element = track.attach();
      if (sinkId && element instanceof HTMLAudioElement && 'setSinkId' in element)
        void (element as HTMLAudioElement & { setSinkId(id: string): Promise<void> })
          .setSinkId(sinkId)
          .catch(() => undefined);
      container.appendChild(element);
    };
    const hide = (track: CallTrack) => {
      if (!isMedia(track) || !wanted(track)) return;
      for (const element of track.detach()) element.remove();
    };
    const current = () =>
      publications(participant)
        .map((p) => p.track)
        .filter(isMedia);
    current().forEach(show);
    participant.on('trackSubscribed', show);
    participant.on('trackUnsubscribed', hide);
    return () => {
      participant.off('trackSubscribed', show);
      participant.off('trackUnsubscribed', hide);
      current().forEach(hide);
    };
  }, [participant, wanted, sinkId]);
  return mediaRef;
}

const notScreen = (track: CallTrack) => track.name !== 'screen';
const isScreen = (track: CallTrack) => track.name === 'screen';

export function RemoteTile({
  participant,
  speaking,
  sinkId,
}: {
  participant: CallParticipant;
  speaking: boolean;
  sinkId?: string;
}) {
  useParticipantState(participant);
  const networkQuality = useNetworkQualityLevel(participant);
  const mediaRef = useAttachedTracks(participant, notScreen, sinkId);
  const microphone: CallTrackPublication | undefined = [...participant.audioTracks.values()][0];
  const camera = [...participant.videoTracks.values()].find((p) => p.trackName !== 'screen');
  return (
    <TileFrame
      className="remote"
      name={participant.identity}
      mediaRef={mediaRef}
      sid={participant.sid}
      speaking={speaking}
      microphoneMuted={microphone ? !microphone.isTrackEnabled : false}
      cameraOff={camera ? !camera.isTrackEnabled : true}
      networkQuality={networkQuality}
      reconnecting={participant.state === 'reconnecting'}
    />
  );
}

/** Someone's shared screen: its own, larger tile. */
export function ScreenTile({ participant }: { participant: CallParticipant }) {
  const mediaRef = useAttachedTracks(participant, isScreen, undefined);
  return (
    <TileFrame className="screen" name={`${participant.identity}'s screen`} mediaRef={mediaRef} sid={participant.sid} />
  );
}

export function hasScreen(participant: CallParticipant): boolean {
  return [...participant.videoTracks.values()].some((p) => p.trackName === 'screen');
}
