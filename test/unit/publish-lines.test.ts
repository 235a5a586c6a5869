/** Which of a page's tracks the SDK sends on which of the server's lines, and the publishTrack() promises. */
import { describe, expect, it } from 'vitest';
import type { TrackName } from '../../src/protocol/messages';
import { HuddleError } from '../../src/sdk/huddle-error';
import type { LocalMediaTrack } from '../../src/sdk/local-track';
import { LocalTrackPublication } from '../../src/sdk/local-track-publication';
import { PendingPublishes } from '../../src/sdk/pending-publishes';
import { PublishLines } from '../../src/sdk/publish-lines';

// Line assignment reads only a track's kind and name; these stand in for the browser's tracks.
/** A stand-in track: a kind, a name, and events nobody raises (a publication listens to its track). */
const track = (kind: 'audio' | 'video', name: string) =>
  ({
    kind,
    name,
    on() {
      return this;
    },
    off() {
      return this;
    },
  }) as unknown as LocalMediaTrack;
const line = (mid: string, name: TrackName) => ({ mid, trackSid: `TR-${mid}`, name });
const microphone = track('audio', 'microphone');
const camera = track('video', 'camera');
const carried = (lines: PublishLines) => lines.current.map((l) => [l.mid, l.track]);

describe('publish lines', () => {
  it('puts the microphone on pa and the camera on pv, and keeps them there', () => {
    const lines = new PublishLines([camera, microphone]);
    lines.update([line('pa', 'microphone'), line('pv', 'camera')]);
    expect(carried(lines)).toEqual([
      ['pa', microphone],
      ['pv', camera],
    ]);
    lines.update([line('pv', 'camera'), line('pa', 'microphone')]);
    expect(lines.lineOf(camera)?.mid).toBe('pv');
    expect(lines.onMid('pa')?.track).toBe(microphone);
  });

  it('gives several tracks of one name a line each, in the order they were added', () => {
    const first = track('video', 'screen');
    const second = track('video', 'screen');
    const lines = new PublishLines([camera]);
    lines.add(first);
    lines.add(second);
    lines.update([line('pv', 'camera'), line('ps1', 'screen')]);
    expect(lines.lineOf(first)?.mid).toBe('ps1');
    expect(lines.lineOf(second)).toBeUndefined();
    lines.update([line('pv', 'camera'), line('ps1', 'screen'), line('ps2', 'screen')]);
    expect(lines.lineOf(first)?.mid).toBe('ps1');
    expect(lines.lineOf(second)?.mid).toBe('ps2');
  });

  it('never gives a line that was given up to another track, even when an older offer still lists it', () => {
    const first = track('video', 'screen');
    const second = track('video', 'screen');
    const lines = new PublishLines([]);
    lines.add(first);
    lines.update([line('ps1', 'screen')]);
    expect(lines.remove(first)?.trackSid).toBe('TR-ps1');
    lines.add(second);
    lines.update([line('ps1', 'screen')]); // sent before the server heard of the unpublish
    expect(lines.lineOf(second)).toBeUndefined();
    lines.update([line('ps2', 'screen')]);
    expect(lines.lineOf(second)?.mid).toBe('ps2');
    expect(lines.remove(track('video', 'screen'))).toBeUndefined();
  });

  it('leaves a line without a track of its name empty', () => {
    const lines = new PublishLines([microphone]);
    lines.update([line('pa', 'microphone'), line('pv', 'camera')]);
    expect(lines.onMid('pv')).toBeUndefined();
    expect(carried(lines)).toEqual([['pa', microphone]]);
  });
});

describe('pending publishes', () => {
  const failure = new HuddleError('PUBLISH_FAILED', 'refused');

  it('resolves the promise of the track whose line arrived', async () => {
    const screen = track('video', 'screen');
    const pending = new PendingPublishes();
    const published = pending.add(screen);
    expect(pending.isWaiting(screen)).toBe(true);
    const publication = new LocalTrackPublication('TR-ps1', screen, {
      unpublish() {},
      setPriority() {},
      priorityOf: () => 'standard',
    });
    pending.published(screen, publication);
    await expect(published).resolves.toBe(publication);
    expect(pending.isWaiting(screen)).toBe(false);
  });

  it('pairs a refusal with the oldest publish, even one whose promise was already settled', async () => {
    const cancelled = track('video', 'screen');
    const next = track('video', 'screen');
    const pending = new PendingPublishes();
    const first = pending.add(cancelled);
    const second = pending.add(next);
    pending.cancel(cancelled, new HuddleError('PUBLISH_FAILED', 'unpublished first'));
    await expect(first).rejects.toThrow('unpublished first');
    expect(pending.refuse(undefined, failure)).toBe(cancelled);
    expect(pending.isWaiting(next)).toBe(true);
    expect(pending.refuse(undefined, failure)).toBe(next);
    await expect(second).rejects.toBe(failure);
    expect(pending.refuse(undefined, failure)).toBeUndefined();
  });

  it('fails every waiting publish when the connection goes, and names their tracks', async () => {
    const a = track('video', 'screen');
    const b = track('video', 'screen');
    const pending = new PendingPublishes();
    const promises = [pending.add(a), pending.add(b)];
    pending.cancel(b, new HuddleError('PUBLISH_FAILED', 'unpublished first'));
    expect(pending.failAll(failure)).toEqual([a]);
    await expect(promises[0]).rejects.toBe(failure);
    await expect(promises[1]).rejects.toThrow('unpublished first');
    expect(pending.isWaiting(a)).toBe(false);
  });
});
