/**
 * twilio-video's runPreflight() on Huddle: a page tests its connection before a call, as the
 * reference app's pre-join screen would, and gets twilio-video's report: progress events in
 * order, each network step timed, the round trip, jitter and loss the server measured of its
 * media, and the ICE candidates used; stop() ends it early with 'failed'. One Chromium page.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../harness/server';
import { sdkPagesForFile } from '../helpers/sdk-pages';

type Sdk = typeof import('../../src/sdk/index');
type Report = import('../../src/sdk/index').PreflightTestReport;

const call = sdkPagesForFile(1);
let server: RunningServer;
let page: Page;
beforeAll(() => {
  server = call.server;
  [page] = call.pages as [Page];
});

describe('runPreflight()', () => {
  it('times each step of a test call and reports what the server measured of its media', async () => {
    const token = await server.token('Preflight', 'preflight-room');
    const result = await page.evaluate(
      (token) =>
        new Promise<{ progress: string[]; report: Report }>((resolve, reject) => {
          const { Video } = (window as unknown as { Huddle: { Video: Sdk } }).Huddle;
          const progress: string[] = [];
          const test = Video.runPreflight(token, { duration: 5000 });
          test.on('progress', (name) => progress.push(name));
          test.on('completed', (report) => resolve({ progress, report }));
          test.on('failed', (error) => reject(error));
        }),
      token,
    );
    console.log(
      'preflight on loopback:',
      JSON.stringify({ networkTiming: result.report.networkTiming, stats: result.report.stats }),
    );
    expect(result.progress).toEqual([
      'mediaAcquired',
      'connected',
      'iceConnected',
      'dtlsConnected',
      'peerConnectionConnected',
      'mediaStarted',
    ]);
    const { networkTiming, stats, selectedIceCandidatePairStats, testTiming } = result.report;
    for (const step of ['connect', 'ice', 'dtls', 'peerConnection', 'media'] as const)
      expect(networkTiming[step]?.duration, step).toBeGreaterThan(0);
    expect(testTiming.duration).toBeGreaterThanOrEqual(5000);
    // Loopback: a round trip of a few ms at most, nothing lost.
    expect(stats.rtt!.average).toBeGreaterThanOrEqual(0);
    expect(stats.rtt!.max).toBeLessThan(200);
    expect(stats.packetLoss!.max).toBeLessThan(5);
    expect(stats.jitter!.min).toBeGreaterThanOrEqual(0);
    expect(selectedIceCandidatePairStats?.remoteCandidate.address).toBe('127.0.0.1');
    // It left: the room is empty again.
    await expect
      .poll(async () => /^huddle_participants 0$/m.test(await server.metrics()), { timeout: 10_000 })
      .toBe(true);
  }, 60_000);

  it('stop() ends it early: failed, with the report so far', async () => {
    const token = await server.token('Preflight', 'preflight-room');
    const outcome = await page.evaluate(
      (token) =>
        new Promise<{ message: string; progress: number }>((resolve) => {
          const { Video } = (window as unknown as { Huddle: { Video: Sdk } }).Huddle;
          const test = Video.runPreflight(token, { duration: 60_000 });
          test.on('progress', (name) => {
            if (name === 'connected') test.stop();
          });
          test.on('failed', (error, report) =>
            resolve({ message: error.message, progress: report.progressEvents.length }),
          );
        }),
      token,
    );
    expect(outcome.message).toBe('Stopped');
    expect(outcome.progress).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
