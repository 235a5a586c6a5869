/** Debian's Chromium through playwright-core, with a fake camera and microphone. Shared by tests, bench and scripts. */
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchOptions {
  videoFile?: string;
  /** A WAV file for the fake microphone (it loops). */
  audioFile?: string;
  /** How many fake cameras and microphones the browser offers (default one each). */
  fakeDevices?: number;
  /** Another executable for Chromium: the network lab's wrapper that runs it inside a lab host. */
  executablePath?: string;
  /** More command-line switches. */
  args?: string[];
}

function launchOptions(options: LaunchOptions) {
  return {
    executablePath: options.executablePath ?? CHROMIUM,
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
      ...(options.args ?? []),
    ],
  };
}

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch(launchOptions(options));
}

/** A browser whose processes the caller can kill or freeze, as when a laptop lid closes or a tab crashes. */
export interface KillableBrowser {
  browser: Browser;
  /** SIGKILL: the kernel closes its sockets at once (the server sees them end). */
  kill: () => void;
  /**
   * SIGSTOP to every Chromium process (browser, renderers, network service): its sockets stay open
   * but nothing answers on them any more, as when a machine drops off the network.
   */
  freeze: () => void;
  /** SIGCONT after freeze. */
  thaw: () => void;
  /** Closes it whatever state it is in (a frozen browser would never answer a close). */
  close: () => Promise<void>;
}

export async function launchKillableChromium(options: LaunchOptions = {}): Promise<KillableBrowser> {
  const server = await chromium.launchServer(launchOptions(options));
  const browser = await chromium.connect(server.wsEndpoint());
  const pid = server.process().pid!;
  // playwright starts Chromium as the leader of its own process group: signal the whole group,
  // since the network service (which answers WebSocket pings) is a process of its own.
  const signalAll = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    browser,
    kill: () => signalAll('SIGKILL'),
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    close: async () => {
      signalAll('SIGKILL');
      await server.close().catch(() => undefined);
    },
  };
}
