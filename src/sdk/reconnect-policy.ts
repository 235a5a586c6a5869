import { HuddleError } from './huddle-error.js';

/** Waits between attempts to rejoin: quick at first (a blip), then every 3 s; the last repeats. */
export const DEFAULT_RECONNECT_DELAYS_MS: readonly number[] = [100, 250, 500, 1000, 2000, 3000];
/** No attempt starts once this long has passed since the connection was lost: the room is over. */
export const DEFAULT_RECONNECT_DEADLINE_MS = 30_000;

/**
 * When a room that lost the server tries to rejoin, and when it gives up: the waits and the
 * deadline as data, and one question the room asks before each attempt.
 */
export class ReconnectPolicy {
  constructor(
    readonly delaysMs: readonly number[] = DEFAULT_RECONNECT_DELAYS_MS,
    readonly deadlineMs: number = DEFAULT_RECONNECT_DEADLINE_MS,
  ) {
    if (delaysMs.length === 0) throw new HuddleError('CONFIG_INVALID', 'A reconnect policy needs at least one delay');
  }

  /**
   * How long to wait before attempt `attempt` (0 for the first), asked `elapsedMs` after the
   * connection was lost; null when it is past the deadline and the room should give up.
   */
  nextDelay(attempt: number, elapsedMs: number): number | null {
    if (elapsedMs > this.deadlineMs) return null;
    return this.delaysMs[Math.min(attempt, this.delaysMs.length - 1)]!;
  }
}
