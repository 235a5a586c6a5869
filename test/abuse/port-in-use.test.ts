/**
 * A second server on a media port that is taken refuses to start with a plain sentence naming the
 * port, instead of sharing it (libdatachannel binds with address reuse, and the kernel would then
 * split each server's media between the two).
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPort, type RunningServer, startServer } from '../../harness/server';
import { MediaPortInUseError } from '../../src/sfu/engine/udp-port';
import { buildTestApp } from '../helpers/in-process';

/** Starts `npm start`'s entry point and waits for it to give up (or 30 s). */
function secondServer(rtcPort: number, workers: number) {
  return spawnSync(process.execPath, ['dist/server/main.js'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HUDDLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'huddle-second-')),
      HUDDLE_RTC_PORT: String(rtcPort),
      HUDDLE_WORKERS: String(workers),
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('a media port already in use', () => {
  let first: RunningServer;
  let rtcPort: number;
  beforeAll(async () => {
    rtcPort = await freeUdpPort(2);
    first = await startServer({ HUDDLE_RTC_PORT: String(rtcPort), HUDDLE_WORKERS: '2' });
  }, 30_000);
  afterAll(() => first?.stop());

  it('a second Huddle on an idle first one’s port says so and exits', () => {
    // The first server has no call: its port must be held all the same.
    const second = secondServer(rtcPort, 1);
    expect(second.status, second.stderr).toBe(1);
    expect(second.stderr).toContain(`Huddle cannot start: media port ${rtcPort} (UDP) is in use`);
    expect(second.stderr).toContain('HUDDLE_RTC_PORT');
  }, 40_000);

  it('the port of the first server’s second worker counts too', () => {
    const second = secondServer(rtcPort + 1, 1);
    expect(second.status, second.stderr).toBe(1);
    expect(second.stderr).toContain(`media port ${rtcPort + 1} (UDP) is in use`);
  }, 40_000);

  it('the first server is unharmed', async () => {
    const health = await first.health();
    expect(health.status).toBe('ok');
    expect(health.workers.every((w) => w.alive)).toBe(true);
  });

  it('a port held by another program stops the in-process SFU too, and a freed one is taken', async () => {
    const port = await freeUdpPort();
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(port, resolve));
    await expect(buildTestApp({ HUDDLE_RTC_PORT: String(port) })).rejects.toBeInstanceOf(MediaPortInUseError);
    await new Promise<void>((resolve) => squatter.close(resolve));
    const { app } = await buildTestApp({ HUDDLE_RTC_PORT: String(port) });
    await app.close();
  });
});
