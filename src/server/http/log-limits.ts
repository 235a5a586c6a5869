/** What clients can make the server log is bounded: refusals they cause are logged sparingly. */
import type { Logger } from 'pino';

/** Calls `log` at most once per interval (what a flood can write to the log is bounded). */
export function onceEvery<T>(intervalMs: number, log: (value: T) => void): (value: T) => void {
  let last = 0;
  return (value) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    log(value);
  };
}

/**
 * A host name refused is worth telling the operator (a name they forgot to allow), once per name
 * and for a few names only: requests with made-up names must not fill the log.
 */
export function hostRefusalLog(logger: Logger): (host: string) => void {
  const told = new Set<string>();
  return (host) => {
    if (told.has(host) || told.size >= 20) return;
    told.add(host);
    logger.warn({ host }, 'refused a request for a host name this server does not answer to (HUDDLE_ALLOWED_HOSTS)');
  };
}
