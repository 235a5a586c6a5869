import { useEffect, useRef } from 'react';
import type { LocalVideoTrack } from '../sdk/index.js';
import type { CallParticipant, CallTrack } from './video-api';

/** A grid cell: the media on top, the name under it (always as text). */
function TileFrame(props: { className: string; name: string; mediaRef: React.RefObject<HTMLDivElement | null>; sid?: string }) {
  return (
    <div className={`participant ${props.className}`} data-sid={props.sid}>
      <div className="media" ref={props.mediaRef} />
      <div className="name">{props.name}</div>
    </div>
  );
}

export function LocalTile({ track }: { track: LocalVideoTrack | null }) {
  const mediaRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = mediaRef.current;
    if (!track || !container) return;
    const element = track.attach();
    container.appendChild(element);
    return () => {
      track.detach(element);
      element.remove();
    };
  }, [track]);
  return <TileFrame className="local" name="Me" mediaRef={mediaRef} />;
}

const isMedia = (track: CallTrack | null): track is CallTrack => typeof track?.attach === 'function';

export function RemoteTile({ participant }: { participant: CallParticipant }) {
  const mediaRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = mediaRef.current!;
    const show = (track: CallTrack) => isMedia(track) && container.appendChild(track.attach());
    const hide = (track: CallTrack) => isMedia(track) && track.detach().forEach((element) => element.remove());
    const current = () => [...participant.audioTracks.values(), ...participant.videoTracks.values()].map((p) => p.track).filter(isMedia);
    current().forEach(show);
    participant.on('trackSubscribed', show);
    participant.on('trackUnsubscribed', hide);
    return () => {
      participant.off('trackSubscribed', show);
      participant.off('trackUnsubscribed', hide);
      current().forEach(hide);
    };
  }, [participant]);
  return <TileFrame className="remote" name={participant.identity} mediaRef={mediaRef} sid={participant.sid} />;
}
