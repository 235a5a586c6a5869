/**
 * Debian's Firefox ESR, headless, driven over WebDriver BiDi by puppeteer-core, with its fake
 * camera (a moving test picture) and fake microphone (a tone). Shared by tests and scripts.
 */
import { spawnSync } from 'node:child_process';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Why Firefox cannot run here, or undefined when it can. */
export function firefoxUnavailable(): string | undefined {
  const version = spawnSync(FIREFOX, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return `no Firefox at ${FIREFOX} (apt-get install firefox-esr)`;
  return undefined;
}

/** What makes the fake devices answer at once, and what keeps a test run off the network. */
const PREFS: Record<string, string | number | boolean> = {
  // Fake devices, and no permission prompt for them (Chromium's --use-fake-ui-for-media-stream).
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // No sound card here: without cubeb's mock device no AudioContext ever starts (a page's
  // microphone meter reads silence) and audio elements play on a fallback clock.
  'media.cubeb.force_mock_context': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // Nothing at start-up reaches out (puppeteer already turns off updates, telemetry and the
  // safe-browsing lists): no captive-portal or connectivity probe, no DNS over HTTPS, no
  // prefetching, no region lookup, no remote settings.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'media.gmp-gmpopenh264.autoupdate': false,
  'media.gmp-gmpopenh264.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'extensions.blocklist.enabled': false,
  // Background pages keep decoding and timing: several pages share two cores here.
  'dom.min_background_timeout_value': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
};

export interface FirefoxOptions {
  /** More prefs, over the ones above. */
  prefs?: Record<string, string | number | boolean>;
}

export function launchFirefox(options: FirefoxOptions = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: { ...PREFS, ...options.prefs },
  });
}
