/**
 * Picks a room's dominant speaker from the audio levels its publishers report: every interval,
 * the loudest participant whose average level clears the threshold. Silence keeps the last
 * speaker (as Twilio does), so the highlight does not flicker between sentences.
 */
export const SPEAKER_INTERVAL_MS = 400;
/** Average loudness above this (about -50 dBov) counts as speaking. */
export const SPEAKING_THRESHOLD = 77;

export class LevelMeter {
  private sum = 0;
  private count = 0;

  add(loudness: number): void {
    if (loudness < 0) return;
    this.sum += loudness;
    this.count++;
  }

  /** The average since the last call, and a fresh start. */
  take(): number {
    const average = this.count === 0 ? 0 : this.sum / this.count;
    this.sum = 0;
    this.count = 0;
    return average;
  }
}

export function loudestSpeaker(levels: Map<string, number>, current: string | null): string | null {
  let best: string | null = null;
  let bestLevel = SPEAKING_THRESHOLD;
  for (const [sid, level] of levels) {
    if (level > bestLevel) [best, bestLevel] = [sid, level];
  }
  return best ?? current;
}
