/**
 * Sends handed off to libdatachannel's threads (what a media worker switches to under heavy
 * forwarding, forced here from the first packet with HUDDLE_SEND_HANDOFF_ABOVE=0): a real call
 * must look exactly as it does with inline sends. Checked through the page: each video in the
 * right tile, delta frames decoding (a subscriber stuck waiting for key frames would decode key
 * frames only), audio flowing.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { audioPacketsReceived, countLine, deltaFramesDecoded, eventually, join } from '../../harness/call-page';
import { expectLiveVideoInRightTiles } from '../helpers/expect-video';

const NAMES = ['Ada', 'Ben', 'Cy'] as const;
let call: Call<(typeof NAMES)[number]>;

beforeAll(async () => {
  call = await startCall({
    server: { HUDDLE_SEND_HANDOFF_ABOVE: '0' },
    room: 'handoff',
    people: [
      { name: 'Ada', colour: 'red' },
      { name: 'Ben', colour: 'green' },
      { name: 'Cy', colour: 'blue', join: false },
    ],
  });
}, 120_000);

afterAll(() => call?.close());

describe('sends handed off to the media threads', () => {
  it('three people see and hear each other as with inline sends', async () => {
    // Two joined with inline sends; the third joins once the worker has switched, so every line
    // to and from Cy starts out handed off (each new subscriber waits for a key frame first).
    const { server, pages } = call;
    await eventually(
      async () => server.output(),
      (log) => log.includes('sends handed off to the media threads'),
      'the worker to hand sends off',
    );
    await join(pages.Cy, 'Cy');
    for (const name of NAMES) {
      const page = pages[name];
      const others = NAMES.filter((n) => n !== name);
      await eventually(
        () => countLine(page),
        (line) => line === '3 participants online.',
        'the count line',
      );
      await expectLiveVideoInRightTiles(page, others, call.colourOf);
      // The fake cameras send a key frame only when asked: dozens of delta frames mean the stream flows.
      await eventually(
        () => deltaFramesDecoded(page),
        (frames) => frames.length === 2 && frames.every((n) => n >= 30),
        'delta frames decoded from both others',
      );
      const before = await audioPacketsReceived(page);
      await eventually(
        () => audioPacketsReceived(page),
        (after) => after.length === 2 && after.every((n, k) => n > (before[k] ?? Infinity)),
        'audio packets to keep arriving',
      );
    }
    // Queued packets count as forwarded.
    const forwarded = async () =>
      Number(/^huddle_forwarded_packets_total (\d+)/m.exec(await server.metrics())?.[1] ?? 0);
    const first = await forwarded();
    await eventually(forwarded, (n) => n > first + 100, 'the forwarded-packets metric to grow');
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  }, 180_000);
});
