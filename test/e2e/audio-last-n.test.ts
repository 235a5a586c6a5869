/**
 * Audio last-N in a room of six, each hearing at most two others (HUDDLE_AUDIO_LAST_N=2): a
 * listener receives the microphones of the two loudest people and not the others', a new loud
 * speaker is heard as soon as they speak up, and the packets held back leave no gap the listener
 * would count as loss. Each person is a page publishing a tone made in the page, at a loudness
 * the test sets: a loud one, or a faint one that is still sound (not silence, which Opus DTX would
 * send at a few packets a second anyway).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, packetsFrom } from '../../harness/call-page';
import { sdkPagesForFile } from '../helpers/sdk-pages';

const PEOPLE = ['Ana', 'Bea', 'Cal', 'Dan', 'Eve', 'Lis'] as const;
type Person = (typeof PEOPLE)[number];
const ROOM = 'last-n';
const LOUD = 0.3; // about -13 dBov
const FAINT = 0.003; // about -53 dBov: sound, 40 dB under the loud ones

const fixture = sdkPagesForFile(PEOPLE.length, { HUDDLE_WORKERS: '1', HUDDLE_AUDIO_LAST_N: '2' });
const pageOf = (person: Person): Page => fixture.pages[PEOPLE.indexOf(person)]!;

/** Joins with a tone of its own pitch as the microphone; window.setLoudness(gain) changes its level. */
async function joinWithTone(person: Person, index: number): Promise<void> {
  const token = await fixture.server.token(person, ROOM);
  await pageOf(person).evaluate(
    async ({ token, room, pitch, gain }) => {
      type Sdk = typeof import('../../src/sdk/index');
      const w = window as unknown as {
        Huddle: { Video: Sdk };
        huddleRoom: unknown;
        setLoudness: (gain: number) => void;
      };
      const context = new AudioContext();
      const tone = context.createOscillator();
      tone.frequency.value = pitch;
      const level = context.createGain();
      level.gain.value = gain;
      const out = context.createMediaStreamDestination();
      tone.connect(level).connect(out);
      tone.start();
      w.setLoudness = (g) => level.gain.setValueAtTime(g, context.currentTime);
      const microphone = new w.Huddle.Video.LocalAudioTrack(out.stream.getAudioTracks()[0]!, { name: 'microphone' });
      w.huddleRoom = await w.Huddle.Video.connect(token, { name: room, tracks: [microphone] });
    },
    { token, room: ROOM, pitch: 300 + 60 * index, gain: FAINT },
  );
}

const setLoudness = (person: Person, gain: number) =>
  pageOf(person).evaluate((g) => (window as unknown as { setLoudness: (g: number) => void }).setLoudness(g), gain);

/** Audio packets a second the listener receives from each of the others, over `ms`. */
async function rates(listener: Person, ms: number): Promise<Record<string, number>> {
  const others = PEOPLE.filter((p) => p !== listener);
  const count = () => Promise.all(others.map((p) => packetsFrom(pageOf(listener), p, 'audio')));
  const start = { at: Date.now(), n: await count() };
  const end = await eventually(
    async () => ({ at: Date.now(), n: await count() }),
    (now) => now.at - start.at >= ms,
    `${ms} ms of audio`,
  );
  const seconds = (end.at - start.at) / 1000;
  return Object.fromEntries(others.map((p, i) => [p, Math.round((end.n[i]! - start.n[i]!) / seconds)]));
}

/** The audio packets the listener counts as lost, over every microphone it receives. */
const audioLost = (page: Page) =>
  page.evaluate(async () => {
    const room = (window as unknown as { huddleRoom: import('../../src/sdk/index').Room }).huddleRoom;
    const [report] = await room.getStats();
    return report!.remoteAudioTrackStats.reduce((n, s) => n + (s.packetsLost ?? 0), 0);
  });

describe('audio last-N', () => {
  it('a listener receives the two loudest microphones only, follows a new speaker, and counts no loss for what it was not sent', async () => {
    for (const [i, person] of PEOPLE.entries()) await joinWithTone(person, i);
    // Everyone hears everyone's audio start (each was routed at some point: faint ones too, until ranked).
    const lis = pageOf('Lis');
    await eventually(
      () => Promise.all(PEOPLE.filter((p) => p !== 'Lis').map((p) => packetsFrom(lis, p, 'audio'))),
      (counts) => counts.filter((n) => n > 0).length >= 2,
      "Lis's first audio",
    );

    await setLoudness('Ana', LOUD);
    await setLoudness('Bea', LOUD);
    const talking = await eventually(
      () => rates('Lis', 2000),
      (r) => r.Ana! > 35 && r.Bea! > 35 && r.Cal! + r.Dan! + r.Eve! < 5,
      'Lis to receive Ana and Bea only',
    );
    console.log(`Ana and Bea loud, the rest faint: Lis receives (packets/s) ${JSON.stringify(talking)}`);
    // Ana, herself one of the two loudest, hears Bea and the next loudest, a faint one: which shows
    // the faint ones do send (they are not silent), and that it is the server holding them back.
    const ana = await rates('Ana', 2000);
    const faintAtAna = [ana.Cal!, ana.Dan!, ana.Eve!].sort((a, b) => b - a);
    console.log(`Ana receives (packets/s) ${JSON.stringify(ana)}`);
    expect(ana.Bea).toBeGreaterThan(35);
    expect(faintAtAna[0], 'one faint microphone, at its full rate').toBeGreaterThan(35);
    expect(faintAtAna[1]! + faintAtAna[2]!, 'the other faint ones, not at all').toBeLessThan(5);

    // Ana and Bea fall quiet, Dan speaks up: Lis hears Dan, and his first second already.
    await setLoudness('Ana', FAINT);
    await setLoudness('Bea', FAINT);
    await setLoudness('Dan', LOUD);
    const switched = await eventually(
      () => rates('Lis', 1000),
      (r) => r.Dan! > 35,
      'Lis to receive Dan',
    );
    console.log(`Dan loud: Lis receives (packets/s) ${JSON.stringify(switched)}`);
    // One of the two kept (Ana or Bea, the more recent speakers) and Dan: never more than two.
    const settled = await rates('Lis', 2000);
    const routed = Object.values(settled).filter((r) => r > 20).length;
    expect(routed, `Lis receives two microphones (${JSON.stringify(settled)})`).toBeLessThanOrEqual(2);
    expect(settled.Dan).toBeGreaterThan(35);

    // What the server held back is closed up: on loopback the listener counts nothing lost.
    expect(await audioLost(lis)).toBe(0);
  }, 180_000);
});
