import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  createLocalAudioTrack,
  createLocalVideoTrack,
  type LocalAudioTrack,
  type LocalVideoTrack,
} from '../sdk/index.js';

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

/** Why a camera or microphone is not there: the browser's error, in the words a person acts on. */
export type DeviceProblem = 'blocked' | 'missing' | 'busy' | 'failed';

function problemOf(error: unknown): DeviceProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'blocked';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'failed';
}

const DEVICE_WORDS = { camera: ['camera', 'Camera'], microphone: ['microphone', 'Microphone'] } as const;

/** What went wrong and how to fix it; joining with what works stays possible, and says what it gives. */
export function problemText(device: 'camera' | 'microphone', problem: DeviceProblem): string {
  const [word, Word] = DEVICE_WORDS[device];
  const still =
    device === 'camera' ? 'You can still join: the others will hear you.' : 'You can still join and listen.';
  switch (problem) {
    case 'blocked':
      return `${Word} blocked: allow it for this site (the ${word} icon or the site settings by the address bar), then reload the page. ${still}`;
    case 'missing':
      return `No ${word} found: connect one and reload the page. ${still}`;
    case 'busy':
      return `Your ${word} is in use by another app or tab: close it and reload the page. ${still}`;
    default:
      return `The ${word} could not be opened. ${still}`;
  }
}

/** Speaker choice needs HTMLMediaElement.setSinkId, which not every browser has. */
export const canChooseSpeaker = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * The page's own camera and microphone: opened once for the preview, switched between devices,
 * turned on and off. The same track objects are published when joining, so turning one off in
 * the call mutes it for everyone.
 */
export function useLocalMedia() {
  const [camera, setCamera] = useState<LocalVideoTrack | null>(null);
  const [microphone, setMicrophone] = useState<LocalAudioTrack | null>(null);
  const [cameraOn, setCameraOn] = useState(true);
  const [microphoneOn, setMicrophoneOn] = useState(true);
  const [devices, setDevices] = useState<DeviceLists>({ cameras: [], microphones: [], speakers: [] });
  const [problems, setProblems] = useState<{ camera?: DeviceProblem; microphone?: DeviceProblem }>({});
  const failures = useRef<{ camera?: DeviceProblem; microphone?: DeviceProblem }>({});
  const ready = useMemo(
    () =>
      Promise.all([
        createLocalVideoTrack().catch((error: unknown) => {
          failures.current.camera = problemOf(error);
          return null;
        }),
        createLocalAudioTrack().catch((error: unknown) => {
          failures.current.microphone = problemOf(error);
          return null;
        }),
      ]),
    [],
  );
  const tracksRef = useRef<{ camera: LocalVideoTrack | null; microphone: LocalAudioTrack | null }>({
    camera: null,
    microphone: null,
  });

  const refreshDevices = useCallback(async () => {
    const all = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    setDevices({
      cameras: all.filter((d) => d.kind === 'videoinput'),
      microphones: all.filter((d) => d.kind === 'audioinput'),
      speakers: all.filter((d) => d.kind === 'audiooutput'),
    });
  }, []);

  useEffect(() => {
    void ready.then(([video, audio]) => {
      tracksRef.current = { camera: video, microphone: audio };
      setCamera(video);
      setMicrophone(audio);
      setProblems({ ...failures.current });
      void refreshDevices();
    });
    navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', refreshDevices);
  }, [ready, refreshDevices]);

  const toggleCamera = useCallback((on: boolean) => {
    tracksRef.current.camera?.enable(on);
    setCameraOn(on);
  }, []);

  const toggleMicrophone = useCallback((on: boolean) => {
    tracksRef.current.microphone?.enable(on);
    setMicrophoneOn(on);
  }, []);

  const chooseCamera = useCallback(async (deviceId: string) => {
    await tracksRef.current.camera?.restart({
      deviceId: { exact: deviceId },
      width: { ideal: 640 },
      height: { ideal: 480 },
    });
  }, []);

  const chooseMicrophone = useCallback(async (deviceId: string) => {
    await tracksRef.current.microphone?.restart({ deviceId: { exact: deviceId } });
  }, []);

  return {
    ready,
    camera,
    microphone,
    cameraOn,
    microphoneOn,
    devices,
    problems,
    toggleCamera,
    toggleMicrophone,
    chooseCamera,
    chooseMicrophone,
  };
}

/** The microphone's level, 0 to 1, sampled ten times a second, for the meter. */
export function useMicLevel(track: LocalAudioTrack | null, active: boolean): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track || !active || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    const source = context.createMediaStreamSource(new MediaStream([track.mediaStreamTrack]));
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      setLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
    }, 100);
    return () => {
      clearInterval(timer);
      source.disconnect();
      void context.close();
    };
  }, [track, active]);
  return level;
}

export type LocalMedia = ReturnType<typeof useLocalMedia>;
