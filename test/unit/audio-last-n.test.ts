import { describe, expect, it } from 'vitest';
import { type AudioRoute, LoudestSpeakers } from '../../src/sfu/audio/loudest-speakers';
import { SequenceGapCloser } from '../../src/sfu/audio/sequence-gap-closer';

/** A room of microphones `a`, `b`, … each its own participant's, with `n` speakers heard. */
function room(n: number, count: number) {
  const speakers = new LoudestSpeakers(n);
  const names = Array.from({ length: count }, (_, i) => String.fromCharCode(97 + i));
  const routes = new Map<string, AudioRoute>(names.map((name) => [name, speakers.add(`MT${name}`, name)]));
  /** Who `subscriber` hears now. */
  const heard = (subscriber: string) => names.filter((p) => p !== subscriber && routes.get(p)!.routes(subscriber));
  /** Everyone's packets for `ms` at these loudnesses (20 ms apart); the room ranks every 50 ms. */
  let now = 0;
  const talk = (levels: Record<string, number>, ms = 200) => {
    for (const end = now + ms; now < end; now += 10) {
      if (now % 20 === 0) for (const name of names) routes.get(name)!.observe(levels[name] ?? 0, now);
      if (now % 50 === 0) speakers.rank(now);
    }
  };
  return { speakers, routes, heard, talk };
}

describe('audio last-N: the loudest microphones', () => {
  it('routes everyone to everyone while there are no more microphones than a subscriber may hear besides its own', () => {
    const { heard, talk } = room(3, 4);
    talk({ a: 80 });
    expect(heard('d')).toEqual(['a', 'b', 'c']);
    expect(heard('a')).toEqual(['b', 'c', 'd']);
  });

  it('routes only the N loudest to each subscriber, never its own, and the next one to those among them', () => {
    const { heard, talk } = room(2, 6);
    talk({ a: 90, b: 80, c: 70, d: 10 });
    expect(heard('e')).toEqual(['a', 'b']);
    expect(heard('f')).toEqual(['a', 'b']);
    // a is itself among the two loudest: it hears b and the third, c.
    expect(heard('a')).toEqual(['b', 'c']);
    expect(heard('b')).toEqual(['a', 'c']);
  });

  it('hears a new speaker from their first loud packet, and keeps a speaker through the pauses between words', () => {
    const { heard, talk, routes } = room(1, 5);
    talk({ a: 85 }, 1000);
    expect(heard('e')).toEqual(['a']);
    // a pauses for 300 ms: still routed (a level meter's release, not a gate).
    talk({ a: 0 }, 300);
    expect(heard('e')).toEqual(['a']);
    // b speaks up louder than what is left of a: b is routed from its first packet on.
    routes.get('b')!.observe(95, 1_500);
    expect(heard('e')).toEqual(['b']);
  });

  it('does not flap between two people talking at about the same level', () => {
    const { heard, talk } = room(1, 4);
    talk({ a: 80, b: 78 }, 200);
    const first = heard('d');
    expect(first).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      talk({ a: 78 + (i % 2) * 3, b: 81 - (i % 2) * 3 }, 100);
      expect(heard('d')).toEqual(first);
    }
    // Clearly louder wins.
    talk({ a: 20, b: 90 }, 200);
    expect(heard('d')).toEqual(['b']);
  });

  it('routes no muted microphone, and an unpublished one leaves the ranking', () => {
    const { heard, talk, routes } = room(1, 4);
    talk({ a: 90, b: 60 });
    expect(heard('d')).toEqual(['a']);
    routes.get('a')!.setEnabled(false);
    talk({ b: 60 });
    expect(heard('d')).toEqual(['b']);
    routes.get('b')!.close();
    routes.get('a')!.setEnabled(true);
    talk({ a: 50, c: 40 });
    // Three microphones left with one heard: a subscriber among them hears the other loudest.
    expect(heard('d')).toEqual(['a']);
    expect(heard('a')).toEqual(['c']);
  });

  it('routes everyone when N is 0 (last-N off)', () => {
    const { heard, talk } = room(0, 6);
    talk({ a: 90 });
    expect(heard('f')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('audio last-N: renumbering for a subscriber', () => {
  it('closes the gaps that held-back packets leave, so the subscriber sees consecutive numbers', () => {
    const gaps = new SequenceGapCloser();
    expect([100, 101].map((s) => gaps.renumber(s))).toEqual([100, 101]);
    for (const s of [102, 103, 104]) gaps.hold(s);
    expect([105, 106].map((s) => gaps.renumber(s))).toEqual([102, 103]);
    gaps.hold(107);
    expect(gaps.renumber(108)).toBe(104);
  });

  it('closes up what the publisher lost while packets were held back, and keeps real loss otherwise', () => {
    const gaps = new SequenceGapCloser();
    gaps.renumber(10);
    gaps.hold(11);
    gaps.hold(14); // 12 and 13 never came
    expect(gaps.renumber(15)).toBe(11);
    // Loss while sent stays visible: the subscriber should see it.
    expect(gaps.renumber(17)).toBe(13);
  });

  it('drops a late packet from before the last hold, keeps a late one after it, and wraps around 65535', () => {
    const gaps = new SequenceGapCloser();
    gaps.renumber(65530);
    gaps.hold(65531);
    gaps.hold(65532);
    expect(gaps.renumber(65534)).toBe(65532);
    expect(gaps.renumber(65533)).toBe(-1); // held-back territory: its number is taken
    expect(gaps.renumber(1)).toBe(65535);
    expect(gaps.renumber(0)).toBe(65534); // late, but after the hold: renumbered like its neighbours
    expect(gaps.renumber(2)).toBe(0);
  });
});
