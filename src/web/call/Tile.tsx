import { Maximize, MicOff, Minimize, Pin, PinOff } from 'lucide-react';
import { type CSSProperties, useEffect, useReducer, useRef, useState } from 'react';
import type { LocalVideoTrack } from '../../sdk/index.js';
import type { CallNetworkQuality, CallParticipant, CallTrack, CallTrackPublication } from '../video-api';
import type { Place } from './layout';

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

/** A person's initials on a coloured disc, shown while their camera is off. */
export function Avatar({ name }: { name: string }) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => [...word][0]!.toUpperCase())
      .join('') || '?';
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return (
    <span className="avatar" aria-hidden="true" style={{ '--hue': hash } as CSSProperties}>
      {initials}
    </span>
  );
}

/** What the stage tells a tile: where it is, and what a person can do with it. */
export interface TilePlacement {
  place: Place | undefined;
  style: CSSProperties;
  pinned?: boolean;
  onPin?: () => void;
}

/**
 * A tile: the media fills it, the overlays sit on top (name as text, muted microphone, network
 * bars, the speaker's ring); pin and full screen appear on hover or keyboard focus.
 */
function TileFrame(props: {
  className: string;
  name: string;
  /** Whose initials the camera-off disc shows, when not the name's ('Me' shows the person's own). */
  avatarName?: string;
  mediaRef: React.RefObject<HTMLDivElement | null>;
  placement: TilePlacement;
  sid?: string;
  speaking?: boolean;
  microphoneMuted?: boolean;
  cameraOff?: boolean;
  networkQuality?: number | null;
  /** Their connection dropped; the server holds their seat while they resume. */
  reconnecting?: boolean;
}) {
  const { placement } = props;
  const tileRef = useRef<HTMLDivElement>(null);
  const [fullScreen, setFullScreen] = useState(false);
  useEffect(() => {
    const tile = tileRef.current!;
    const changed = () => setFullScreen(document.fullscreenElement === tile);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, []);
  const toggleFullScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void tileRef.current?.requestFullscreen().catch(() => undefined);
  };
  const label = `${props.name}${props.reconnecting ? ', reconnecting' : ''}${props.microphoneMuted ? ', microphone muted' : ''}${props.cameraOff ? ', camera off' : ''}${props.speaking ? ', speaking' : ''}`;
  const canFullScreen = typeof document.documentElement.requestFullscreen === 'function';
  return (
    // biome-ignore lint/a11y/useSemanticElements: a tile groups a video with its labels; fieldset is for form controls.
    <div
      ref={tileRef}
      className={`participant ${props.className}${props.speaking ? ' speaking' : ''}${props.cameraOff ? ' video-off' : ''}`}
      data-sid={props.sid}
      data-place={placement.place}
      hidden={placement.place === undefined}
      style={placement.style}
      role="group"
      aria-label={label}
      // Focusable by a tap (not by Tab): on a touch screen, tapping a tile shows its pin and full screen buttons.
      tabIndex={-1}
    >
      <div className="media" ref={props.mediaRef}>
        {props.cameraOff ? (
          <div className="camera-off">
            <Avatar name={props.avatarName ?? props.name} />
          </div>
        ) : null}
        {props.reconnecting ? <div className="reconnecting">Reconnecting…</div> : null}
      </div>
      {props.microphoneMuted ? (
        <span className="muted-marker" role="img" aria-label="microphone muted" title="Microphone muted">
          <MicOff aria-hidden="true" />
        </span>
      ) : null}
      <div className="label">
        <NetworkQualityBars level={props.networkQuality ?? null} />
        <span className="name">{props.name}</span>
      </div>
      {placement.place !== 'float' ? (
        <div className="tile-actions">
          {placement.onPin ? (
            <button
              type="button"
              className="tile-button"
              aria-pressed={!!placement.pinned}
              aria-label={`${placement.pinned ? 'Unpin' : 'Pin'} ${props.name}`}
              title={placement.pinned ? 'Unpin' : 'Pin to the stage'}
              onClick={placement.onPin}
            >
              {placement.pinned ? <PinOff aria-hidden="true" /> : <Pin aria-hidden="true" />}
            </button>
          ) : null}
          {canFullScreen ? (
            <button
              type="button"
              className="tile-button"
              aria-label={fullScreen ? 'Exit full screen' : `Show ${props.name} full screen`}
              title={fullScreen ? 'Exit full screen' : 'Full screen'}
              onClick={toggleFullScreen}
            >
              {fullScreen ? <Minimize aria-hidden="true" /> : <Maximize aria-hidden="true" />}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export function LocalTile(props: {
  track: LocalVideoTrack | null;
  speaking: boolean;
  microphoneMuted: boolean;
  cameraOff: boolean;
  placement: TilePlacement;
  /** This page's participant once in the call (its network quality). */
  participant?: CallNetworkQuality;
  /** The person's own name, for the initials while their camera is off (the tile itself says Me). */
  ownName?: string;
}) {
  const networkQuality = useNetworkQualityLevel(props.participant);
  const mediaRef = useLocalVideo(props.track);
  return (
    <TileFrame
      className="local"
      name="Me"
      avatarName={props.ownName}
      mediaRef={mediaRef}
      placement={props.placement}
      speaking={props.speaking}
      microphoneMuted={props.microphoneMuted}
      cameraOff={props.cameraOff}
      networkQuality={networkQuality}
    />
  );
}

/** The page's own camera in a container, mirrored as a mirror would show it. */
export function useLocalVideo(track: LocalVideoTrack | null) {
  const mediaRef = useRef<HTMLDivElement>(null);
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
  return mediaRef;
}

const isMedia = (track: CallTrack | null): track is CallTrack => typeof track?.attach === 'function';
const publications = (p: CallParticipant) => [...p.audioTracks.values(), ...p.videoTracks.values()];

/** Re-renders when the participant or its tracks change state (reconnecting, muted, published, unpublished). */
export function useParticipantState(participant: CallParticipant): void {
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

/** A remote participant's microphone and camera: muted or off as they set it. */
export function remoteMarkers(participant: CallParticipant): { microphoneMuted: boolean; cameraOff: boolean } {
  const microphone: CallTrackPublication | undefined = [...participant.audioTracks.values()][0];
  const camera = [...participant.videoTracks.values()].find((p) => p.trackName !== 'screen');
  return {
    microphoneMuted: microphone ? !microphone.isTrackEnabled : false,
    cameraOff: camera ? !camera.isTrackEnabled : true,
  };
}

export function RemoteTile({
  participant,
  speaking,
  sinkId,
  placement,
}: {
  participant: CallParticipant;
  speaking: boolean;
  sinkId?: string;
  placement: TilePlacement;
}) {
  useParticipantState(participant);
  const networkQuality = useNetworkQualityLevel(participant);
  const mediaRef = useAttachedTracks(participant, notScreen, sinkId);
  return (
    <TileFrame
      className="remote"
      name={participant.identity}
      mediaRef={mediaRef}
      placement={placement}
      sid={participant.sid}
      speaking={speaking}
      {...remoteMarkers(participant)}
      networkQuality={networkQuality}
      reconnecting={participant.state === 'reconnecting'}
    />
  );
}

/** Someone's shared screen: the stage while it is shared. */
export function ScreenTile({ participant, placement }: { participant: CallParticipant; placement: TilePlacement }) {
  const mediaRef = useAttachedTracks(participant, isScreen, undefined);
  return (
    <TileFrame
      className="screen"
      name={`${participant.identity}'s screen`}
      mediaRef={mediaRef}
      placement={placement}
      sid={participant.sid}
    />
  );
}

export function hasScreen(participant: CallParticipant): boolean {
  return [...participant.videoTracks.values()].some((p) => p.trackName === 'screen');
}
