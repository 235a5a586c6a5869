import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));

describe("the SDK's types against twilio-video's", () => {
  // test/types/twilio-video-api.ts: every check either passes, or is marked `@ts-expect-error GAP: …`. A
  // failure is either a regression (a check that passed no longer does) or a closed gap (an unused
  // `@ts-expect-error`: delete that directive and its GAP comment).
  it('match, but for the gaps test/types/twilio-video-api.ts lists', () => {
    const result = spawnSync(tsc, ['-p', 'tsconfig.types.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
    expect(result.status, `tsc -p tsconfig.types.json --noEmit:\n${output}`).toBe(0);
  }, 120_000);
});
