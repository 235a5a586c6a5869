/**
 * The end-to-end fixture: a call of these people, each in their own Chromium with their own
 * solid-colour fake camera (so a test can tell whose video lands in which tile) and, if asked, a
 * microphone playing speech or silence; each page open on the room, and joined unless told not to.
 * One call, one `close()`: browsers, the server when the call started it, and the temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { ApiCredentials } from '../src/tokens/access-token';
import { type KillableBrowser, launchChromium, launchKillableChromium } from './browser';
import { join, logPageProblems } from './call-page';
import { writeSilenceWav, writeSpeechWav } from './fake-audio';
import { type Colour, writeColourY4m } from './fake-camera';
import { type RunningServer, startServer } from './server';

export interface Person<N extends string = string> {
  name: N;
  colour: Colour;
  /** What the fake microphone plays, looping: synthesized speech, silence, or a WAV file. Chromium's beep if unset. */
  audio?: 'speech' | 'silence' | (string & {});
  /** In a browser the test can kill (SIGKILL) or freeze (SIGSTOP): `call.kill(name)`, `call.freeze(name)`. */
  killable?: boolean;
  viewport?: { width: number; height: number };
  /** Whether this person joins while the call starts (default: the call's `join`). */
  join?: boolean;
}

export interface CallOptions<N extends string> {
  /** A running server to use (the caller stops it), or the environment for one the call starts and stops. */
  server?: RunningServer | Record<string, string>;
  room: string;
  people: readonly Person<N>[];
  /** Join everyone, one at a time in the order given (default), or leave the pages before 'Join call'. */
  join?: boolean;
  /** Size of the fake camera pictures (default 320×240). */
  camera?: { width: number; height: number };
  /** Runs in every page before the page's own scripts, on every load (playwright's addInitScript). */
  initScript?: () => void;
  /** Runs once each page has loaded the room, before anyone joins. */
  onLoad?: (page: Page, name: N) => Promise<void>;
}

export interface Call<N extends string> {
  server: RunningServer;
  room: string;
  /** The page address of the room. */
  roomUrl: string;
  people: readonly Person<N>[];
  pages: Record<N, Page>;
  /** The pages in the order the people were given. */
  pageList: Page[];
  browsers: Record<N, Browser>;
  colourOf: Record<N, Colour>;
  /** The temp folder with the camera and microphone files. */
  dir: string;
  credentials(): ApiCredentials;
  /** An access token signed with the server's key, for the call's room unless told otherwise. */
  token(identity: string, room?: string): Promise<string>;
  /** A new page (fresh context, so nothing remembered) in this person's browser, open on the room or another. */
  newPage(browserOf: N, room?: string): Promise<Page>;
  /** SIGKILL a killable person's browser. */
  kill(name: N): void;
  /** SIGSTOP a killable person's browser: its connections stay open and go silent. */
  freeze(name: N): void;
  thaw(name: N): void;
  close(): Promise<void>;
}

const isRunning = (server: CallOptions<string>['server']): server is RunningServer =>
  typeof (server as RunningServer | undefined)?.stop === 'function';

export async function startCall<const N extends string>(options: CallOptions<N>): Promise<Call<N>> {
  const ownServer = !isRunning(options.server);
  const server = isRunning(options.server) ? options.server : await startServer(options.server ?? {});
  const dir = mkdtempSync(joinPath(tmpdir(), 'huddle-call-'));
  const roomUrl = (room: string) => `${server.url}/room/${encodeURIComponent(room)}`;
  const pages = {} as Record<N, Page>;
  const browsers = {} as Record<N, Browser>;
  const colourOf = {} as Record<N, Colour>;
  const contextOptions = {} as Record<N, BrowserContextOptions>;
  const killable = new Map<N, KillableBrowser>();
  const closers: (() => Promise<void>)[] = [];
  const audioFiles = new Map<string, string>();
  const audioFile = (audio: Person['audio']) => {
    if (audio !== 'speech' && audio !== 'silence') return audio;
    if (!audioFiles.has(audio)) audioFiles.set(audio, audio === 'speech' ? writeSpeechWav(dir) : writeSilenceWav(dir));
    return audioFiles.get(audio);
  };
  const killableOf = (name: N) => {
    const browser = killable.get(name);
    if (!browser) throw new Error(`${name}'s browser was not started killable`);
    return browser;
  };
  const openPage = async (name: N, room: string) => {
    const page = await (await browsers[name].newContext(contextOptions[name])).newPage();
    logPageProblems(page, name);
    if (options.initScript) await page.addInitScript(options.initScript);
    await page.goto(roomUrl(room));
    return page;
  };

  const close = async () => {
    await Promise.allSettled(closers.splice(0).map((closeOne) => closeOne()));
    if (ownServer) await server.stop();
    rmSync(dir, { recursive: true, force: true });
    if (ownServer) rmSync(server.dataDir, { recursive: true, force: true });
  };

  try {
    for (const person of options.people) {
      const { name } = person;
      const launch = {
        videoFile: writeColourY4m(dir, person.colour, options.camera?.width, options.camera?.height),
        audioFile: audioFile(person.audio),
      };
      if (person.killable) {
        const browser = await launchKillableChromium(launch);
        killable.set(name, browser);
        browsers[name] = browser.browser;
        closers.push(browser.close);
      } else {
        const browser = await launchChromium(launch);
        browsers[name] = browser;
        closers.push(() => browser.close());
      }
      colourOf[name] = person.colour;
      // A self-signed certificate is accepted here alone, as a person would click through it once.
      contextOptions[name] = {
        ignoreHTTPSErrors: server.url.startsWith('https:'),
        ...(person.viewport ? { viewport: person.viewport } : {}),
      };
      pages[name] = await openPage(name, options.room);
      await options.onLoad?.(pages[name], name);
    }
    for (const person of options.people)
      if (person.join ?? options.join ?? true) await join(pages[person.name], person.name);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    server,
    room: options.room,
    roomUrl: roomUrl(options.room),
    people: options.people,
    pages,
    pageList: options.people.map((p) => pages[p.name]),
    browsers,
    colourOf,
    dir,
    credentials: () => server.credentials(),
    token: (identity, room = options.room) => server.token(identity, room),
    newPage: (browserOf, room = options.room) => openPage(browserOf, room),
    kill: (name) => killableOf(name).kill(),
    freeze: (name) => killableOf(name).freeze(),
    thaw: (name) => killableOf(name).thaw(),
    close,
  };
}
