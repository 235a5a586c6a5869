import { useEffect, useRef } from 'react';
import type { LocalVideoTrack, RemoteParticipant, RemoteTrack } from '../sdk/index.js';

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

export function RemoteTile({ participant }: { participant: RemoteParticipant }) {
  const mediaRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = mediaRef.current!;
    const show = (track: RemoteTrack) => container.appendChild(track.attach());
    const hide = (track: RemoteTrack) => track.detach().forEach((element) => element.remove());
    participant.tracks.forEach((publication) => publication.track && show(publication.track));
    participant.on('trackSubscribed', show);
    participant.on('trackUnsubscribed', hide);
    return () => {
      participant.off('trackSubscribed', show);
      participant.off('trackUnsubscribed', hide);
      participant.tracks.forEach((publication) => publication.track && hide(publication.track));
    };
  }, [participant]);
  return <TileFrame className="remote" name={participant.identity} mediaRef={mediaRef} sid={participant.sid} />;
}
