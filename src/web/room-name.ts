import { DEFAULT_ROOM } from '../protocol/names.js';

/** The room comes from the page's path: /room/<name>; any other path is the default room. */
export function roomFromPath(pathname: string): string {
  const match = /^\/room\/(.+?)\/?$/.exec(pathname);
  if (!match) return DEFAULT_ROOM;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}
