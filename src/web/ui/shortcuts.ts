import { useEffect, useRef } from 'react';

/** The page's keyboard shortcuts, as shown in tooltips and the help dialog (Google Meet's, where Meet has one). */
export const SHORTCUTS = {
  microphone: 'Ctrl+D',
  camera: 'Ctrl+E',
  chat: 'Ctrl+Alt+C',
  people: 'Ctrl+Alt+P',
  help: '?',
} as const;

export type ShortcutAction = keyof typeof SHORTCUTS;

export const SHORTCUT_HELP: Array<[ShortcutAction, string]> = [
  ['microphone', 'Mute or unmute the microphone'],
  ['camera', 'Turn the camera off or on'],
  ['chat', 'Open or close the chat'],
  ['people', 'Open or close the participants list'],
  ['help', 'Show these shortcuts'],
];

function actionOf(event: KeyboardEvent): ShortcutAction | null {
  // Ctrl on Windows and Linux, Cmd on a Mac, as Meet.
  const command = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (command && !event.altKey && !event.shiftKey) {
    if (key === 'd') return 'microphone';
    if (key === 'e') return 'camera';
  }
  // Alt changes event.key on some layouts (Alt+C is 'ç' on a Mac): read the physical key.
  if (command && event.altKey && event.code === 'KeyC') return 'chat';
  if (command && event.altKey && event.code === 'KeyP') return 'people';
  const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select');
  if (event.key === '?' && !command && !event.altKey && !typing) return 'help';
  return null;
}

/** Runs the handler of each shortcut pressed anywhere on the page; a shortcut without a handler does nothing. */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, () => void>>): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actionOf(event);
      const handler = action ? latest.current[action] : undefined;
      if (!handler) return;
      // Ctrl+D would bookmark the page and Ctrl+E search: in a call they mean the microphone and camera.
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
