/** Debian's Chromium through playwright-core, with a fake camera and microphone. */
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface LaunchOptions {
  videoFile?: string;
  /** A WAV file for the fake microphone (it loops). */
  audioFile?: string;
  /** How many fake cameras and microphones the browser offers (default one each). */
  fakeDevices?: number;
}

function launchOptions(options: LaunchOptions) {
  return {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      options.fakeDevices
        ? `--use-fake-device-for-media-stream=device-count=${options.fakeDevices}`
        : '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      // Tests talk to 127.0.0.1 only: every host name fails inside the browser, so nothing
      // (twilio-video looking for Twilio, say) ever sends a packet off this machine.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      // Background pages must keep decoding: several pages share two cores here.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      ...(options.videoFile ? [`--use-file-for-fake-video-capture=${options.videoFile}`] : []),
      ...(options.audioFile ? [`--use-file-for-fake-audio-capture=${options.audioFile}`] : []),
    ],
  };
}

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch(launchOptions(options));
}

/** A browser whose process the test can kill outright, as when a laptop lid closes or a tab crashes. */
export async function launchKillableChromium(
  options: LaunchOptions = {},
): Promise<{ browser: Browser; kill: () => void }> {
  const server = await chromium.launchServer(launchOptions(options));
  const browser = await chromium.connect(server.wsEndpoint());
  return { browser, kill: () => server.process().kill('SIGKILL') };
}
