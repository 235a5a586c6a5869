/**
 * Where every tile of the call goes on the stage: pure geometry, so it is unit-tested and the
 * page only applies it. Every tile stays one element in one container whatever the layout (the
 * layout moves it with coordinates), so a join, a leave or a layout change never re-attaches a
 * video. A tile with no rectangle is not on screen (another page, or no room in the filmstrip):
 * the page hides it, and the SDK's bandwidth profile switches its video off.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** grid: a cell of the grid; featured: the stage's one big tile; strip: the filmstrip; float: the self-view in a corner. */
export type Place = 'grid' | 'featured' | 'strip' | 'float';

export interface Placement {
  place: Place;
  rect: Rect;
}

export interface LayoutInput {
  width: number;
  height: number;
  /** The page's own tile. */
  local: string;
  /** Everyone else's tiles, in the order they joined. */
  remotes: string[];
  /** Shared screens' tiles. */
  screens: string[];
  /** The tile the person pinned, if any. */
  pinned: string | null;
  /** Speaker view: the speaker's tile on the stage, the others in the filmstrip. */
  speakerView: boolean;
  /** The tile of whoever spoke last (speaker view features it). */
  speaker: string | null;
  /** Grid page asked for (clamped to the pages there are). */
  page: number;
}

export interface Layout {
  placements: Map<string, Placement>;
  /** Grid pages (1 outside the grid). */
  pages: number;
  page: number;
  /** Tiles left out of a full filmstrip. */
  overflow: number;
}

export const GAP = 8;
/** Tiles on one page of the grid; more get pages. */
export const GRID_PAGE_SIZE = 9;
/** Camera pictures are mostly 16:9 or 4:3: a cell far from that crops too much of the face. */
const VIDEO_ASPECT = 16 / 9;

/** The columns and rows that show n tiles biggest, cropping their pictures least. */
export function bestGrid(n: number, width: number, height: number): { columns: number; rows: number } {
  let best = { columns: 1, rows: n, score: -1 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    // A last row no fuller than the one above it would have been: another column count does it better.
    if (columns > 1 && (columns - 1) * rows >= n) continue;
    const cellWidth = (width - GAP * (columns - 1)) / columns;
    const cellHeight = (height - GAP * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const aspect = cellWidth / cellHeight;
    const kept = Math.min(aspect, VIDEO_ASPECT) / Math.max(aspect, VIDEO_ASPECT);
    const score = n * cellWidth * cellHeight * kept;
    if (score > best.score) best = { columns, rows, score };
  }
  return { columns: best.columns, rows: best.rows };
}

/** n equal cells filling the area; a last row with fewer tiles is centred. */
export function gridRects(n: number, area: Rect): Rect[] {
  if (n === 0) return [];
  const { columns, rows } = bestGrid(n, area.width, area.height);
  const width = (area.width - GAP * (columns - 1)) / columns;
  const height = (area.height - GAP * (rows - 1)) / rows;
  const rects: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / columns);
    const inRow = row === rows - 1 ? n - row * columns : columns;
    const offset = (area.width - (inRow * width + (inRow - 1) * GAP)) / 2;
    rects.push({ x: area.x + offset + (i % columns) * (width + GAP), y: area.y + row * (height + GAP), width, height });
  }
  return rects;
}

/** The self-view once others are there: small, 16:9, in the stage's bottom right corner. */
function floatRect(width: number, height: number): Rect {
  const w = Math.round(Math.min(280, Math.max(112, width * 0.2), height * 0.3 * VIDEO_ASPECT));
  const h = Math.round(w / VIDEO_ASPECT);
  return { x: width - w - 12, y: height - h - 12, width: w, height: h };
}

/** One tile on the stage, the rest in a filmstrip: a column on the right, or a row at the bottom on a portrait screen. */
function spotlight(input: LayoutInput, featured: string, placements: Map<string, Placement>): number {
  const { width, height } = input;
  // The filmstrip: other screens, then whoever spoke last, then the rest; the self-view always
  // keeps a place in it, the last one, however many are left out.
  const speakerFirst = input.speaker && input.remotes.includes(input.speaker) ? [input.speaker] : [];
  const remotes = [...speakerFirst, ...input.remotes.filter((key) => key !== input.speaker)];
  const others = [...input.screens, ...remotes].filter((key) => key !== featured);
  const portrait = width < height * 1.1;
  const stripTile = portrait
    ? { height: Math.min(110, height * 0.18), width: Math.min(110, height * 0.18) * VIDEO_ASPECT }
    : { width: Math.min(240, width * 0.2), height: Math.min(240, width * 0.2) / VIDEO_ASPECT };
  const room = portrait
    ? Math.max(1, Math.floor((width + GAP) / (stripTile.width + GAP)))
    : Math.max(1, Math.floor((height + GAP) / (stripTile.height + GAP)));
  if (featured !== input.local) others.splice(Math.min(others.length, room - 1), 0, input.local);
  const shown = Math.min(others.length, room);
  const stripSize = shown === 0 ? 0 : (portrait ? stripTile.height : stripTile.width) + GAP;
  placements.set(featured, {
    place: 'featured',
    rect: { x: 0, y: 0, width: portrait ? width : width - stripSize, height: portrait ? height - stripSize : height },
  });
  others.slice(0, shown).forEach((key, i) => {
    const along = i * ((portrait ? stripTile.width : stripTile.height) + GAP);
    const rect = portrait
      ? { x: (width - (shown * (stripTile.width + GAP) - GAP)) / 2 + along, y: height - stripTile.height, ...stripTile }
      : {
          x: width - stripTile.width,
          y: (height - (shown * (stripTile.height + GAP) - GAP)) / 2 + along,
          ...stripTile,
        };
    placements.set(key, { place: 'strip', rect });
  });
  return others.length - shown;
}

export function layoutStage(input: LayoutInput): Layout {
  const placements = new Map<string, Placement>();
  const { width, height } = input;
  const known = (key: string | null) =>
    key !== null && (key === input.local || input.remotes.includes(key) || input.screens.includes(key));
  const featured =
    (known(input.pinned) ? input.pinned : null) ??
    input.screens[0] ??
    (input.speakerView && input.remotes.length > 0
      ? known(input.speaker) && input.speaker !== input.local
        ? input.speaker
        : input.remotes[0]!
      : null);
  if (featured !== null) {
    const overflow = spotlight(input, featured, placements);
    return { placements, pages: 1, page: 0, overflow };
  }
  const full = { x: 0, y: 0, width, height };
  if (input.remotes.length === 0) {
    placements.set(input.local, { place: 'grid', rect: full });
    return { placements, pages: 1, page: 0, overflow: 0 };
  }
  const pages = Math.ceil(input.remotes.length / GRID_PAGE_SIZE);
  const page = Math.max(0, Math.min(input.page, pages - 1));
  const onPage = input.remotes.slice(page * GRID_PAGE_SIZE, (page + 1) * GRID_PAGE_SIZE);
  // With one or two others the self-view floats, small, in the corner (a face over a corner of a
  // big tile hides little). With more, as in Meet, it is a tile of the grid, since floating it
  // would cover a quarter of someone's small tile; so too when it fills a cell the others leave
  // empty. On a full page it floats again.
  const cells = (n: number) => {
    const { columns, rows } = bestGrid(n, width, height);
    return columns * rows;
  };
  const selfInGrid =
    (onPage.length >= 3 && onPage.length < GRID_PAGE_SIZE) || cells(onPage.length + 1) === cells(onPage.length);
  const inGrid = selfInGrid ? [...onPage, input.local] : onPage;
  const rects = gridRects(inGrid.length, full);
  for (const [i, key] of inGrid.entries()) placements.set(key, { place: 'grid', rect: rects[i]! });
  if (!selfInGrid) placements.set(input.local, { place: 'float', rect: floatRect(width, height) });
  return { placements, pages, page, overflow: 0 };
}
