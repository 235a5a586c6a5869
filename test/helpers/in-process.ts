/** A Huddle app built in this process (no page needed), for HTTP and signalling tests. */

import { freeUdpPort } from '../../harness/server';
import { createLogger } from '../../src/logging/logger';
import { buildApp, type HuddleApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { ApiCredentials } from '../../src/tokens/access-token';

export const TEST_CREDENTIALS: ApiCredentials = {
  accountSid: `AC${'1'.repeat(32)}`,
  keySid: `SK${'2'.repeat(32)}`,
  keySecret: 'test-secret-test-secret-test-secret',
};

/** `logs`, when given, receives every log line (as the server would write it to stdout). */
export async function buildTestApp(
  env: Record<string, string> = {},
  logs?: { write(line: string): void },
): Promise<HuddleApp> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HUDDLE_RTC_PORT: String(await freeUdpPort()),
    HUDDLE_LOG_LEVEL: 'silent',
    HUDDLE_WORKERS: '0',
    ...env,
  });
  return buildApp(config, { kind: 'embedded', credentials: TEST_CREDENTIALS }, createLogger(config.logLevel, logs));
}
