/** Assertions on what people see in a call (vitest's expect): the harness only reads the page. */

import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEADLINE_MS, eventually, remoteTiles } from '../../harness/call-page';
import { type Colour, nearestColour } from '../../harness/fake-camera';

/**
 * Every remote tile shows the named people, each picture advances between two looks, and shows
 * the colour of that person's camera.
 */
export async function expectLiveVideoInRightTiles(
  page: Page,
  names: string[],
  colourOf: Record<string, Colour>,
  timeoutMs = DEADLINE_MS,
) {
  const first = await eventually(
    () => remoteTiles(page),
    (tiles) => tiles.length === names.length && tiles.every((t) => t.videoWidth > 0 && t.framesShown > 0),
    `${names.length} remote tiles with decoded video`,
    timeoutMs,
  );
  const later = await eventually(
    () => remoteTiles(page),
    (tiles) =>
      tiles.length === names.length &&
      tiles.every((t) => t.framesShown > (first.find((f) => f.name === t.name)?.framesShown ?? Infinity)),
    'remote video frames to advance',
    timeoutMs,
  );
  expect(later.map((t) => t.name).sort()).toEqual([...names].sort());
  for (const tile of later) expect(nearestColour(tile.rgb!), `colour in ${tile.name}'s tile`).toBe(colourOf[tile.name]);
}
