import { ChevronLeft, ChevronRight } from 'lucide-react';
import { type CSSProperties, useLayoutEffect, useRef, useState } from 'react';
import type { LocalVideoTrack } from '../../sdk/index.js';
import type { CallLocalParticipant, CallParticipant } from '../video-api';
import { layoutStage, type Rect } from './layout';
import { hasScreen, LocalTile, RemoteTile, ScreenTile, type TilePlacement } from './Tile';

/** The stage's size, following the window and the side panel. */
function useSize(ref: React.RefObject<HTMLElement | null>) {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current!;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

const styleOf = (rect: Rect | undefined): CSSProperties =>
  rect
    ? {
        transform: `translate(${Math.round(rect.x)}px, ${Math.round(rect.y)}px)`,
        width: Math.round(rect.width),
        height: Math.round(rect.height),
      }
    : {};

const LOCAL = 'local';
const screenKey = (sid: string) => `screen-${sid}`;

export interface StageProps {
  participants: CallParticipant[];
  localParticipant: CallLocalParticipant | undefined;
  /** The name this page joined with. */
  ownName: string;
  camera: LocalVideoTrack | null;
  microphoneMuted: boolean;
  cameraOff: boolean;
  /** The dominant speaker's SID now (ringed), and the last one (featured in speaker view). */
  speaker: string | null;
  lastSpeaker: string | null;
  speakerView: boolean;
  sinkId: string | undefined;
}

/**
 * The call's tiles, all in one container in the order people joined, placed by layoutStage. A
 * tile keeps its element (and its video) whatever the layout does around it.
 */
export function Stage(props: StageProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const size = useSize(stageRef);
  const [pinned, setPinned] = useState<string | null>(null);
  const [page, setPage] = useState(0);
  const localSid = props.localParticipant?.sid;
  const screens = props.participants.filter(hasScreen);
  const layout = layoutStage({
    ...size,
    local: LOCAL,
    remotes: props.participants.map((p) => p.sid),
    screens: screens.map((p) => screenKey(p.sid)),
    pinned,
    speakerView: props.speakerView,
    speaker: props.lastSpeaker === localSid ? LOCAL : props.lastSpeaker,
    page,
  });
  const placementOf = (key: string, pinnable = true): TilePlacement => {
    const placement = layout.placements.get(key);
    return {
      place: size.width > 0 ? placement?.place : undefined,
      style: styleOf(placement?.rect),
      pinned: pinned === key,
      onPin: pinnable ? () => setPinned(pinned === key ? null : key) : undefined,
    };
  };
  return (
    <div className="stage" ref={stageRef}>
      <LocalTile
        track={props.camera}
        speaking={!!localSid && props.speaker === localSid}
        microphoneMuted={props.microphoneMuted}
        cameraOff={props.cameraOff}
        participant={props.localParticipant}
        ownName={props.ownName}
        placement={placementOf(LOCAL, false)}
      />
      {props.participants.map((p) => (
        <RemoteTile
          key={p.sid}
          participant={p}
          speaking={props.speaker === p.sid}
          sinkId={props.sinkId}
          placement={placementOf(p.sid)}
        />
      ))}
      {screens.map((p) => (
        <ScreenTile key={screenKey(p.sid)} participant={p} placement={placementOf(screenKey(p.sid))} />
      ))}
      {layout.pages > 1 ? (
        <nav className="pages" aria-label="Grid pages">
          <button
            type="button"
            className="page-button"
            aria-label="Previous page"
            disabled={layout.page === 0}
            onClick={() => setPage(layout.page - 1)}
          >
            <ChevronLeft aria-hidden="true" />
          </button>
          <span className="page-count">
            Page {layout.page + 1} of {layout.pages}
          </span>
          <button
            type="button"
            className="page-button"
            aria-label="Next page"
            disabled={layout.page === layout.pages - 1}
            onClick={() => setPage(layout.page + 1)}
          >
            <ChevronRight aria-hidden="true" />
          </button>
        </nav>
      ) : null}
      {layout.overflow > 0 ? <span className="overflow">+{layout.overflow} more</span> : null}
    </div>
  );
}
