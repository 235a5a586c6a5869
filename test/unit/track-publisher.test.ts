/** How the SDK publishes after joining, against a stand-in for the peer session (no browser needed). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClientMessage, TrackName } from '../../src/protocol/messages';
import { HuddleError } from '../../src/sdk/huddle-error';
import { LocalParticipant } from '../../src/sdk/local-participant';
import { type LocalMediaTrack, LocalVideoTrack } from '../../src/sdk/local-track';
import type { PeerSession } from '../../src/sdk/peer-session';
import { PublishLines } from '../../src/sdk/publish-lines';
import { TrackPublisher } from '../../src/sdk/track-publisher';

/** Enough of a MediaStreamTrack for the SDK's track classes. */
let captures = 0;
const capture = (kind = 'video') => {
  const track = {
    id: `capture-${++captures}`,
    kind,
    enabled: true,
    readyState: 'live' as MediaStreamTrackState,
    addEventListener() {},
    stop: () => {
      track.readyState = 'ended';
    },
  };
  return track as unknown as MediaStreamTrack;
};

const offered = (...lines: [string, TrackName][]) => lines.map(([mid, name]) => ({ mid, trackSid: `TR-${mid}`, name }));

let sent: ClientMessage[];
let lines: PublishLines;
let connected: boolean;
let camera: LocalVideoTrack;
let participant: LocalParticipant;
let publisher: TrackPublisher;
const events: string[] = [];

/** The server's next offer lists these lines; the room answers it. */
function offer(...publish: [string, TrackName][]) {
  publisher.answered(lines.update(offered(...publish)));
}

beforeEach(() => {
  sent = [];
  connected = true;
  camera = new LocalVideoTrack(capture(), 'camera');
  lines = new PublishLines([camera]);
  const session = {
    addTrack: (track: LocalMediaTrack) => lines.add(track),
    removeTrack: (track: LocalMediaTrack) => lines.remove(track),
    refreshTrack: (track: LocalMediaTrack) => lines.lineOf(track),
  } as unknown as PeerSession;
  participant = new LocalParticipant(
    { sid: 'PA1', identity: 'Ana', tracks: [] },
    {
      publishTrack: (track, options) => publisher.publishTrack(track, options),
      unpublishTrack: (track) => publisher.unpublishTrack(track),
      setParameters() {},
      setNetworkQualityConfiguration() {},
    },
  );
  events.length = 0;
  participant.on('trackPublished', (p) => events.push(`published ${p.trackSid}`));
  participant.on('trackPublicationFailed', (e) => events.push(`failed ${e.huddleCode}`));
  publisher = new TrackPublisher([camera], participant, {
    isConnected: () => connected,
    session: () => session,
    send: (message) => sent.push(message),
  });
  offer(['pv', 'camera']);
});

describe('publishing after joining', () => {
  it('publishes the camera it joined with, and tells the server it is muted once it has a SID', () => {
    expect([...participant.videoTracks.keys()]).toEqual(['TR-pv']);
    expect(events).toEqual(['published TR-pv']);
    camera.disable();
    expect(sent.at(-1)).toEqual({ type: 'trackState', trackSid: 'TR-pv', enabled: false });
    offer(['pv', 'camera']);
    expect(sent.at(-1)).toEqual({ type: 'trackState', trackSid: 'TR-pv', enabled: false });
    expect(events).toEqual(['published TR-pv']);
  });

  it('resolves a screen share once the server offers its line', async () => {
    const screen = new LocalVideoTrack(capture(), 'screen');
    const published = participant.publishTrack(screen);
    expect(sent).toEqual([{ type: 'publish', kind: 'video', name: 'screen' }]);
    offer(['pv', 'camera'], ['ps1', 'screen']);
    expect((await published).trackSid).toBe('TR-ps1');
    expect(participant.tracks.get('TR-ps1')?.track).toBe(screen);
    expect(participant.unpublishTrack(screen)?.trackSid).toBe('TR-ps1');
    expect(sent.at(-1)).toEqual({ type: 'unpublish', trackSid: 'TR-ps1' });
    expect([...participant.tracks.keys()]).toEqual(['TR-pv']);
  });

  it('rejects with PUBLISH_FAILED, the server error as cause, when the server refuses', async () => {
    const screen = new LocalVideoTrack(capture(), 'screen');
    const published = participant.publishTrack(screen);
    const refusal = new HuddleError('RATE_LIMITED', 'slow down');
    publisher.refused(refusal, 'screen');
    await expect(published).rejects.toMatchObject({
      huddleCode: 'PUBLISH_FAILED',
      code: 53300,
      message: 'slow down',
      cause: refusal,
    });
    expect(events.at(-1)).toBe('failed PUBLISH_FAILED');
    // Not shared any more: a second share may go.
    const again = participant.publishTrack(new LocalVideoTrack(capture(), 'screen'));
    offer(['pv', 'camera'], ['ps1', 'screen']);
    expect((await again).trackSid).toBe('TR-ps1');
  });

  it('rejects a publish still waiting when the connection is lost; what was published stays, and is asked for again', async () => {
    const screen = new LocalVideoTrack(capture(), 'screen');
    const published = participant.publishTrack(screen);
    const cause = new HuddleError('MEDIA_RESTARTING');
    connected = false;
    publisher.connectionLost(cause);
    await expect(published).rejects.toMatchObject({ huddleCode: 'PUBLISH_FAILED', cause });
    expect(screen.mediaStreamTrack.readyState).toBe('live');
    expect(publisher.requests).toEqual([{ kind: 'video', name: 'camera' }]);
    expect([...participant.tracks.keys()]).toEqual(['TR-pv']);
    await expect(participant.publishTrack(new LocalVideoTrack(capture(), 'other'))).rejects.toMatchObject({
      huddleCode: 'PUBLISH_FAILED',
    });
  });

  it('rejects when the room disconnects first; the error is the cause, none after disconnect()', async () => {
    const published = participant.publishTrack(new LocalVideoTrack(capture(), 'screen'));
    publisher.ended(undefined);
    await expect(published).rejects.toMatchObject({ huddleCode: 'PUBLISH_FAILED', cause: undefined });
  });

  it('gives back the line of a share unpublished while the line was on its way', async () => {
    const screen = new LocalVideoTrack(capture(), 'screen');
    const published = participant.publishTrack(screen);
    expect(participant.unpublishTrack(screen)).toBeNull();
    await expect(published).rejects.toMatchObject({ huddleCode: 'PUBLISH_FAILED' });
    await expect(participant.publishTrack(screen)).rejects.toMatchObject({ huddleCode: 'INVALID_MESSAGE' });
    offer(['pv', 'camera'], ['ps1', 'screen']);
    expect(sent.at(-1)).toEqual({ type: 'unpublish', trackSid: 'TR-ps1' });
    expect(participant.tracks.has('TR-ps1')).toBe(false);
    offer(['pv', 'camera'], ['ps1', 'screen']); // an offer sent before the server heard
    expect(participant.tracks.has('TR-ps1')).toBe(false);
  });

  it('unpublishes any track, the camera it joined with too; does nothing for a track it does not publish', () => {
    expect(participant.unpublishTrack(new LocalVideoTrack(capture(), 'screen'))).toBeNull();
    expect(sent).toEqual([]);
    expect(participant.unpublishTrack(camera.mediaStreamTrack)?.trackSid).toBe('TR-pv');
    expect(sent).toEqual([{ type: 'unpublish', trackSid: 'TR-pv' }]);
    expect(participant.tracks.size).toBe(0);
    expect(participant.unpublishTrack(camera)).toBeNull();
    offer(['pv', 'camera']); // sent before the server heard: the line stays given up
    expect(participant.tracks.size).toBe(0);
  });

  it('publishes several tracks of one kind, each by its unique name; a MediaStreamTrack is named by the options', async () => {
    const second = participant.publishTrack(capture(), { name: 'second camera' });
    const unnamed = capture();
    const third = participant.publishTrack(new LocalVideoTrack(unnamed));
    await expect(participant.publishTrack(camera)).resolves.toBe(participant.tracks.get('TR-pv'));
    expect(participant.publishTrack(unnamed)).toBe(third);
    expect(sent.map((m) => (m.type === 'publish' ? m.name : m.type))).toEqual(['second camera', unnamed.id]);
    await expect(participant.publishTrack(new LocalVideoTrack(capture(), 'camera'))).rejects.toMatchObject({
      huddleCode: 'TRACK_NAME_DUPLICATED',
      code: 53304,
      name: 'TrackNameIsDuplicatedError',
    });
    await expect(participant.publishTrack(new LocalVideoTrack(capture(), ' spaced'))).rejects.toMatchObject({
      code: 53301,
    });
    offer(['pv', 'camera'], ['p2', unnamed.id], ['p1', 'second camera']);
    expect((await second).trackSid).toBe('TR-p1');
    expect((await third).trackSid).toBe('TR-p2');
    expect([...participant.videoTracks.values()].map((p) => p.trackName)).toEqual([
      'camera',
      unnamed.id,
      'second camera',
    ]);
  });

  it('follows the lines after a reconnection that renamed them (a new participant SID)', () => {
    offer(['pv', 'camera']);
    lines = new PublishLines([camera]);
    publisher.answered(lines.update([{ mid: 'pv', trackSid: 'TR-new', name: 'camera' }]));
    expect([...participant.tracks.keys()]).toEqual(['TR-new']);
  });
});
