/**
 * Opus as the SFU offers it: DTX, so a silent microphone sends a few packets a second instead of
 * fifty (and in-band FEC, which Chrome adds when receiver reports show loss; not visible in stats).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { eventually, packetsFrom } from '../../harness/call-page';

let call: Call<'Bea' | 'Ana'>;

beforeAll(async () => {
  call = await startCall({
    server: { HUDDLE_WORKERS: '1' },
    room: 'opus',
    people: [
      { name: 'Bea', colour: 'green', audio: 'silence' },
      { name: 'Ana', colour: 'red', audio: 'speech' },
    ],
  });
}, 120_000);

afterAll(() => call?.close());

/** Packets a second `page` receives from `from`'s microphone, over a window of `ms` of its own clock. */
async function rate(from: 'Ana' | 'Bea', to: 'Ana' | 'Bea', ms: number): Promise<number> {
  const page = call.pages[to];
  const start = { at: Date.now(), n: await packetsFrom(page, from, 'audio') };
  const end = await eventually(
    async () => ({ at: Date.now(), n: await packetsFrom(page, from, 'audio') }),
    (now) => now.at - start.at >= ms,
    `${ms} ms of ${from}'s audio`,
  );
  return ((end.n - start.n) * 1000) / (end.at - start.at);
}

describe('Opus', () => {
  it('a silent microphone sends a few packets a second (DTX), speech its full fifty', async () => {
    await eventually(
      () => packetsFrom(call.pages.Ana, 'Bea', 'audio'),
      (n) => n > 0,
      "Bea's audio",
    );
    await eventually(
      () => packetsFrom(call.pages.Bea, 'Ana', 'audio'),
      (n) => n > 0,
      "Ana's audio",
    );
    const silent = await rate('Bea', 'Ana', 4000);
    const speaking = await rate('Ana', 'Bea', 4000);
    console.log(`silent microphone: ${silent.toFixed(1)} packets/s; speech: ${speaking.toFixed(1)} packets/s`);
    expect(silent).toBeLessThan(15);
    expect(speaking).toBeGreaterThan(40);
  }, 120_000);
});
