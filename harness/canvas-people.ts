/**
 * Many people in a call for the price of one Chromium page: each joins through Huddle's SDK
 * (/sdk/huddle-video.js) and publishes a small canvas-drawn camera (their colour, their name, a
 * moving bar so frames differ), at a low frame rate and under 480×270 so it goes unlayered. They
 * receive nothing (automaticSubscription off), so the page stays cheap. Shared by the page tests
 * and the screenshot script, where a person looks at the pictures.
 */
import type { Browser, Page } from 'playwright-core';
import { logPageProblems } from './call-page';
import { openSdkPage } from './sdk-page';
import type { RunningServer } from './server';

export interface CanvasPerson {
  name: string;
  /** A CSS colour for the picture's background. */
  colour: string;
  /** Publishes a microphone playing a tone (the room hears them speak), else none. */
  speaking?: boolean;
  /** Publishes a microphone, muted. */
  muted?: boolean;
  /** Publishes the camera turned off. */
  cameraOff?: boolean;
}

export interface CanvasCrowd {
  page: Page;
  join(person: CanvasPerson): Promise<void>;
  leave(name: string): Promise<void>;
  /** Sends a chat message as this person. */
  say(name: string, text: string): Promise<void>;
  /** This person shares a 'screen': a slide with a title and bullet points, drawn on a canvas. */
  share(name: string, title: string, bullets: string[]): Promise<void>;
  stopSharing(name: string): Promise<void>;
  close(): Promise<void>;
}

const WIDTH = 320;
const HEIGHT = 180;
const FPS = 8;

export async function canvasCrowd(browser: Browser, server: RunningServer, room: string): Promise<CanvasCrowd> {
  const page = await openSdkPage(browser, server.url);
  logPageProblems(page, 'crowd');
  return {
    page,
    async join(person) {
      const token = await server.token(person.name, room);
      await page.evaluate(
        async ({ token, room, person, size, fps }) => {
          type Sdk = typeof import('../src/sdk/index');
          type Room = import('../src/sdk/index').Room;
          const w = window as unknown as { Huddle: { Video: Sdk }; crowd?: Map<string, Room> };
          const Video = w.Huddle.Video;
          const canvas = document.createElement('canvas');
          canvas.width = size.width;
          canvas.height = size.height;
          const ctx = canvas.getContext('2d')!;
          let frame = 0;
          const draw = () => {
            ctx.fillStyle = person.colour;
            ctx.fillRect(0, 0, size.width, size.height);
            // A head and shoulders, so a tile reads as a person at a glance.
            ctx.fillStyle = 'rgb(255 255 255 / 28%)';
            ctx.beginPath();
            ctx.arc(size.width / 2, size.height * 0.42, size.height * 0.17, 0, Math.PI * 2);
            ctx.fill();
            ctx.beginPath();
            ctx.ellipse(size.width / 2, size.height * 0.98, size.height * 0.36, size.height * 0.3, 0, Math.PI, 0);
            ctx.fill();
            ctx.fillStyle = 'rgb(255 255 255 / 55%)';
            ctx.fillRect((frame * 6) % size.width, size.height - 4, 40, 4);
            frame++;
          };
          draw();
          const timer = setInterval(draw, 1000 / fps);
          const [cameraTrack] = canvas.captureStream(fps).getVideoTracks();
          const camera = new Video.LocalVideoTrack(cameraTrack!, { name: 'camera' });
          const tracks: Array<InstanceType<Sdk['LocalVideoTrack']> | InstanceType<Sdk['LocalAudioTrack']>> = [camera];
          if (person.cameraOff) camera.disable();
          if (person.speaking || person.muted) {
            const audio = new AudioContext();
            const tone = audio.createOscillator();
            const gain = audio.createGain();
            // A voice-like warble, loud enough to be the room's dominant speaker.
            tone.frequency.value = 220;
            gain.gain.value = person.speaking ? 0.6 : 0;
            const destination = audio.createMediaStreamDestination();
            tone.connect(gain).connect(destination);
            tone.start();
            const microphone = new Video.LocalAudioTrack(destination.stream.getAudioTracks()[0]!, {
              name: 'microphone',
            });
            if (person.muted) microphone.disable();
            tracks.push(microphone);
          }
          const joined = await Video.connect(token, { name: room, tracks, automaticSubscription: false });
          joined.once('disconnected', () => clearInterval(timer));
          w.crowd ??= new Map();
          w.crowd.set(person.name, joined);
        },
        { token, room, person, size: { width: WIDTH, height: HEIGHT }, fps: FPS },
      );
    },
    async leave(name) {
      await page.evaluate((name) => {
        const w = window as unknown as { crowd: Map<string, { disconnect(): void }> };
        w.crowd.get(name)?.disconnect();
        w.crowd.delete(name);
      }, name);
    },
    async say(name, text) {
      await page.evaluate(
        ({ name, text }) => {
          const w = window as unknown as { crowd: Map<string, { sendChatMessage(text: string): void }> };
          w.crowd.get(name)!.sendChatMessage(text);
        },
        { name, text },
      );
    },
    async share(name, title, bullets) {
      await page.evaluate(
        async ({ name, title, bullets }) => {
          type Sdk = typeof import('../src/sdk/index');
          type Room = import('../src/sdk/index').Room;
          const w = window as unknown as {
            Huddle: { Video: Sdk };
            crowd: Map<string, Room>;
            screens?: Map<string, () => void>;
          };
          const canvas = document.createElement('canvas');
          canvas.width = 960;
          canvas.height = 540;
          const ctx = canvas.getContext('2d')!;
          const draw = () => {
            ctx.fillStyle = '#fafafa';
            ctx.fillRect(0, 0, 960, 540);
            ctx.fillStyle = '#1a73e8';
            ctx.fillRect(0, 0, 960, 10);
            ctx.fillStyle = '#202124';
            ctx.font = 'bold 44px sans-serif';
            ctx.fillText(title, 64, 110);
            ctx.font = '28px sans-serif';
            bullets.forEach((bullet, i) => {
              ctx.fillStyle = '#1a73e8';
              ctx.fillRect(70, 170 + i * 64, 12, 12);
              ctx.fillStyle = '#3c4043';
              ctx.fillText(bullet, 100, 184 + i * 64);
            });
          };
          draw();
          const timer = setInterval(draw, 500);
          const [track] = canvas.captureStream(2).getVideoTracks();
          const screen = new w.Huddle.Video.LocalVideoTrack(track!, { name: 'screen' });
          const room = w.crowd.get(name)!;
          await room.localParticipant.publishTrack(screen);
          w.screens ??= new Map();
          w.screens.set(name, () => {
            clearInterval(timer);
            room.localParticipant.unpublishTrack(screen);
            screen.stop();
          });
        },
        { name, title, bullets },
      );
    },
    async stopSharing(name) {
      await page.evaluate((name) => {
        const w = window as unknown as { screens: Map<string, () => void> };
        w.screens.get(name)?.();
        w.screens.delete(name);
      }, name);
    },
    async close() {
      await page.close();
    },
  };
}
