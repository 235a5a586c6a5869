/**
 * What the browsers themselves report about the SFU's RTCP, in their own statistics: a publisher
 * gets transport-cc feedback (Chrome then has an outgoing bandwidth estimate) and receiver reports
 * it can use (a round-trip time and loss figures on its remote-inbound-rtp); a subscriber gets
 * sender reports (remote-outbound-rtp); and a participant's microphone and camera arrive in one
 * media stream, so the browser keeps them in sync.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, startCall } from '../../harness/call';
import { eventually } from '../../harness/call-page';
import { recordPeerConnections } from '../../harness/lab-stats';

let call: Call<'Ana' | 'Ben'>;

beforeAll(async () => {
  call = await startCall({
    server: { HUDDLE_WORKERS: '1' },
    room: 'rtcp',
    people: [
      { name: 'Ana', colour: 'red' },
      { name: 'Ben', colour: 'green' },
    ],
    initScript: recordPeerConnections,
  });
}, 120_000);

afterAll(() => call?.close());

type Stats = Array<Record<string, unknown>>;
const stats = (page: Page): Promise<Stats> =>
  page.evaluate(async () => {
    const peers = (window as unknown as { __labPeers: RTCPeerConnection[] }).__labPeers.filter(
      (pc) => pc.connectionState === 'connected',
    );
    const all: Array<Record<string, unknown>> = [];
    for (const pc of peers) {
      (await pc.getStats()).forEach((s) => {
        all.push({ ...s });
      });
    }
    return all;
  });

describe("the SFU's RTCP, as the browsers report it", () => {
  it('a publisher gets receiver reports with a round trip and transport-cc feedback (a bandwidth estimate)', async () => {
    const report = await eventually(
      () => stats(call.pages.Ana),
      (all) =>
        ['audio', 'video'].every((kind) =>
          all.some((s) => s.type === 'remote-inbound-rtp' && s.kind === kind && typeof s.roundTripTime === 'number'),
        ) && all.some((s) => s.type === 'candidate-pair' && s.nominated && Number(s.availableOutgoingBitrate) > 0),
      'remote-inbound-rtp with a round trip for audio and video, and an outgoing bandwidth estimate',
    );
    for (const s of report.filter((r) => r.type === 'remote-inbound-rtp')) {
      expect(Number(s.roundTripTime)).toBeGreaterThanOrEqual(0);
      expect(Number(s.roundTripTime)).toBeLessThan(1);
      expect(Number(s.fractionLost)).toBe(0); // loopback loses nothing, and the report says so
    }
  }, 60_000);

  it('a subscriber gets sender reports for what it receives', async () => {
    await eventually(
      () => stats(call.pages.Ben),
      (all) =>
        ['audio', 'video'].every((kind) =>
          all.some((s) => s.type === 'remote-outbound-rtp' && s.kind === kind && Number(s.reportsSent) > 0),
        ),
      'remote-outbound-rtp for audio and video',
    );
  }, 60_000);

  it("a participant's microphone and camera come in one media stream (lip sync)", async () => {
    const sdp = await call.pages.Ben.evaluate(
      () => (window as unknown as { __labPeers: RTCPeerConnection[] }).__labPeers[0]!.remoteDescription!.sdp,
    );
    const anaSid = await call.pages.Ana.evaluate(() => window.huddleRoom!.localParticipant.sid);
    const streams = [...sdp.matchAll(/a=msid:(\S+) \S+/g)].map((m) => m[1]);
    expect(streams.filter((s) => s === anaSid)).toHaveLength(2);
  }, 60_000);
});
