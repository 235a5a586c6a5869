/** The call page's stage geometry (src/web/call/layout.ts): what the page's tests check in Chromium, here for every size at once. */
import { describe, expect, it } from 'vitest';
import { GRID_PAGE_SIZE, type LayoutInput, layoutStage, type Rect } from '../../src/web/call/layout';

const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

const input = (width: number, height: number, remotes: number, extra: Partial<LayoutInput> = {}): LayoutInput => ({
  width,
  height,
  local: 'me',
  remotes: Array.from({ length: remotes }, (_, i) => `p${i}`),
  screens: [],
  pinned: null,
  speakerView: false,
  speaker: null,
  page: 0,
  ...extra,
});

describe('the stage layout', () => {
  for (const [width, height] of [
    [1264, 632],
    [1904, 992],
    [378, 700],
    [828, 300],
  ] as const) {
    it(`at ${width}×${height}, 1 to 9 people cover at least 70 % with no overlap and nothing outside`, () => {
      for (let people = 1; people <= 9; people++) {
        const { placements } = layoutStage(input(width, height, people - 1));
        expect(placements.size, `${people} people`).toBe(people);
        const grid = [...placements.values()].filter((p) => p.place === 'grid').map((p) => p.rect);
        const covered = grid.reduce((sum, r) => sum + r.width * r.height, 0);
        expect(covered / (width * height), `${people} people`).toBeGreaterThanOrEqual(0.7);
        for (const [i, a] of grid.entries())
          for (const b of grid.slice(i + 1)) expect(overlap(a, b), `${people} people`).toBeLessThan(1);
        for (const { rect } of placements.values()) {
          expect(rect.x).toBeGreaterThanOrEqual(0);
          expect(rect.y).toBeGreaterThanOrEqual(0);
          expect(rect.x + rect.width).toBeLessThanOrEqual(width + 0.5);
          expect(rect.y + rect.height).toBeLessThanOrEqual(height + 0.5);
        }
      }
    });
  }

  it('fills the stage with one person, puts two side by side and four in 2×2 on a wide screen', () => {
    expect(layoutStage(input(1264, 632, 0)).placements.get('me')!.rect).toEqual({
      x: 0,
      y: 0,
      width: 1264,
      height: 632,
    });
    const two = layoutStage(input(1264, 632, 1)).placements;
    expect(two.get('p0')!.rect.width).toBe(1264);
    expect(two.get('me')!.place).toBe('float');
    const three = layoutStage(input(1264, 632, 2)).placements;
    expect(three.get('p0')!.rect.y).toBe(three.get('p1')!.rect.y);
    const four = layoutStage(input(1264, 632, 3)).placements;
    expect(new Set([...four.values()].map((p) => p.rect.y)).size).toBe(2);
    expect(four.get('me')!.place).toBe('grid');
  });

  it('pages the grid beyond a page, the tiles of other pages off screen', () => {
    const layout = layoutStage(input(1264, 632, GRID_PAGE_SIZE + 2, { page: 1 }));
    expect(layout.pages).toBe(2);
    expect(layout.placements.has('p0')).toBe(false);
    expect(layout.placements.get(`p${GRID_PAGE_SIZE}`)!.place).toBe('grid');
    expect(layoutStage(input(1264, 632, 3, { page: 5 })).page).toBe(0);
  });

  it('puts a screen share, a pinned tile or the speaker on the stage, the others in a filmstrip, the self-view kept', () => {
    const shared = layoutStage(input(1264, 632, 12, { screens: ['screen-p3'], speaker: 'p7' }));
    expect(shared.placements.get('screen-p3')!.place).toBe('featured');
    expect(shared.placements.get('p7')!.place).toBe('strip');
    expect(shared.placements.get('me')!.place).toBe('strip');
    expect(shared.overflow).toBeGreaterThan(0);
    const featured = shared.placements.get('screen-p3')!.rect;
    for (const p of shared.placements.values()) if (p.place === 'strip') expect(overlap(p.rect, featured)).toBe(0);
    expect(layoutStage(input(1264, 632, 4, { pinned: 'p2' })).placements.get('p2')!.place).toBe('featured');
    expect(layoutStage(input(378, 700, 4, { speakerView: true, speaker: 'p3' })).placements.get('p3')!.place).toBe(
      'featured',
    );
  });
});
