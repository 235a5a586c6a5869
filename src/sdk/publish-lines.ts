import type { OfferMessage } from '../protocol/messages.js';
import type { LocalMediaTrack } from './local-track.js';

type OfferedLine = OfferMessage['publish'][number];

/** A line of the server's offer on which it receives one of this page's tracks. */
export interface SendLine {
  readonly mid: string;
  readonly trackSid: string;
  readonly track: LocalMediaTrack;
}

/**
 * Which of this page's tracks goes on which of the server's receive lines. Every offer lists the
 * lines with the name of the track each is for (names are unique among a participant's tracks),
 * so a track takes the line of its name and keeps it. A line given up is never taken again, even
 * when an offer the server sent before it heard so still lists it (a track published again under
 * the same name gets a new line, though the same SID).
 */
export class PublishLines {
  private tracks: LocalMediaTrack[];
  private lines: SendLine[] = [];
  private readonly retired = new Set<string>();

  constructor(tracks: readonly LocalMediaTrack[]) {
    this.tracks = [...tracks];
  }

  /** The lines carrying a track, as the latest offer gave them. */
  get current(): readonly SendLine[] {
    return this.lines;
  }

  /** A track to send once an offer brings a line for it. */
  add(track: LocalMediaTrack): void {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }

  /** Stops sending the track; returns the line it held, if it had one by then. */
  remove(track: LocalMediaTrack): SendLine | undefined {
    this.tracks = this.tracks.filter((t) => t !== track);
    const line = this.lineOf(track);
    if (!line) return undefined;
    this.retired.add(line.mid);
    this.lines = this.lines.filter((l) => l !== line);
    return line;
  }

  lineOf(track: LocalMediaTrack): SendLine | undefined {
    return this.lines.find((l) => l.track === track);
  }

  onMid(mid: string | null): SendLine | undefined {
    return this.lines.find((l) => l.mid === mid);
  }

  /** Takes the lines of a new offer: tracks keep theirs, waiting tracks take free ones. */
  update(offered: readonly OfferedLine[]): readonly SendLine[] {
    const isOffered = (line: SendLine) => offered.some((o) => o.trackSid === line.trackSid && o.mid === line.mid);
    const next = this.lines.filter((l) => isOffered(l) && this.tracks.includes(l.track));
    for (const line of offered) {
      if (this.retired.has(line.mid) || next.some((l) => l.trackSid === line.trackSid)) continue;
      const track = this.tracks.find((t) => t.name === line.name && !next.some((l) => l.track === t));
      if (track) next.push({ mid: line.mid, trackSid: line.trackSid, track });
    }
    this.lines = next;
    return next;
  }
}
