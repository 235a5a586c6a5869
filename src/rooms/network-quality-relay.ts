/**
 * Passes each member's network quality (what its browser measured) on to everyone else in the
 * room, at most once a second per member (a newer report replaces one still waiting), and gives a
 * newcomer everyone's latest. The room owns it; it holds the members' reports, not the members.
 */
import type { ServerMessage } from '../protocol/messages.js';
import type { NetworkQualityStats } from '../protocol/network-quality.js';

const RELAY_INTERVAL_MS = 1000;

interface Reporter {
  readonly participantSid: string;
  send(message: ServerMessage): void;
}

interface Latest {
  stats: NetworkQualityStats;
  relayedAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class NetworkQualityRelay {
  private readonly latest = new Map<Reporter, Latest>();

  constructor(private readonly members: () => Iterable<Reporter>) {}

  report(member: Reporter, stats: NetworkQualityStats, now = Date.now()): void {
    const entry = this.latest.get(member) ?? { stats, relayedAt: 0, timer: undefined };
    entry.stats = stats;
    this.latest.set(member, entry);
    if (entry.timer) return; // the waiting relay sends this newer report
    const wait = entry.relayedAt + RELAY_INTERVAL_MS - now;
    if (wait <= 0) return this.relay(member, entry, now);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.latest.get(member) === entry) this.relay(member, entry, Date.now());
    }, wait);
    entry.timer.unref?.();
  }

  /** Everyone's latest, for a member who just joined. */
  greet(newcomer: Reporter): void {
    for (const [member, entry] of this.latest) {
      if (member === newcomer) continue;
      newcomer.send({ type: 'networkQuality', participantSid: member.participantSid, stats: entry.stats });
    }
  }

  forget(member: Reporter): void {
    clearTimeout(this.latest.get(member)?.timer);
    this.latest.delete(member);
  }

  private relay(member: Reporter, entry: Latest, now: number): void {
    entry.relayedAt = now;
    const message: ServerMessage = {
      type: 'networkQuality',
      participantSid: member.participantSid,
      stats: entry.stats,
    };
    for (const other of this.members()) if (other !== member) other.send(message);
  }
}
