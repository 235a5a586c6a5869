import { useEffect, useRef } from 'react';

type Handlers = { microphone: () => void; camera: () => void; hangUp: () => void };

/** The video to float when the tab is hidden: whoever is speaking, else the stage's big tile, else anyone. */
function speakerVideo(): HTMLVideoElement | null {
  const playing = (selector: string) =>
    [...document.querySelectorAll<HTMLVideoElement>(selector)].find((v) => v.videoWidth > 0) ?? null;
  return (
    playing('.participant.remote.speaking video') ??
    playing('.participant[data-place="featured"] video') ??
    playing('.participant.remote video')
  );
}

/**
 * Picture-in-picture of the speaker while the tab is hidden, where the browser offers it: Chrome
 * (from 120) raises the Media Session's 'enterpictureinpicture' action when a page using the
 * camera or microphone is hidden, and lets that handler open picture-in-picture without a click.
 * The same session gives the floating window microphone, camera and hang-up buttons.
 */
export function usePictureInPicture(
  speaker: string | null,
  microphoneOn: boolean,
  cameraOn: boolean,
  handlers: Handlers,
) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const session = typeof navigator !== 'undefined' ? navigator.mediaSession : undefined;
    if (!session) return;
    const actions: Array<[string, (() => void) | null]> = [
      [
        'enterpictureinpicture',
        () => {
          const video = speakerVideo();
          if (video && document.pictureInPictureEnabled) void video.requestPictureInPicture().catch(() => undefined);
        },
      ],
      ['togglemicrophone', () => latest.current.microphone()],
      ['togglecamera', () => latest.current.camera()],
      ['hangup', () => latest.current.hangUp()],
    ];
    // A browser without an action throws on it: each is set on its own.
    const set = (action: string, handler: (() => void) | null) => {
      try {
        session.setActionHandler(action as MediaSessionAction, handler);
      } catch {
        // not offered here
      }
    };
    for (const [action, handler] of actions) set(action, handler);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && document.pictureInPictureElement)
        void document.exitPictureInPicture().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      for (const [action] of actions) set(action, null);
      document.removeEventListener('visibilitychange', onVisible);
      if (document.pictureInPictureElement) void document.exitPictureInPicture().catch(() => undefined);
    };
  }, []);

  // The window follows the speaker: a page already in picture-in-picture may switch its video without a click.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new speaker is what should move the window.
  useEffect(() => {
    const current = document.pictureInPictureElement;
    const video = speakerVideo();
    if (current && video && video !== current) void video.requestPictureInPicture().catch(() => undefined);
  }, [speaker]);

  useEffect(() => {
    const session = navigator.mediaSession as MediaSession & {
      setMicrophoneActive?: (active: boolean) => void;
      setCameraActive?: (active: boolean) => void;
    };
    session?.setMicrophoneActive?.(microphoneOn);
    session?.setCameraActive?.(cameraOn);
  }, [microphoneOn, cameraOn]);
}
