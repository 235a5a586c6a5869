/**
 * Audio last-N: in a big room each subscriber receives only the microphones of the few loudest
 * speakers, as Jitsi's bridge and Meet do. Twenty people with open microphones would otherwise
 * send everyone nineteen streams: 950 packets a second to each person, each stream decoded and
 * mixed by their browser, and each packet encrypted and sent by the server (measured with
 * bench/audio-last-n.ts: about 5 µs of server CPU per packet not sent).
 *
 * Loudness is what publishers say of their own packets (RFC 6464), held like a level meter: it
 * rises at once with a loud packet (so a new speaker is heard from their first word) and falls
 * by DECAY_PER_SECOND (so the pauses between words do not drop them). The set changes only when
 * someone outside it is MARGIN louder than the quietest inside it, so two people talking at
 * once do not flap. A subscriber never receives itself, so the set ranks N + 1: each subscriber
 * gets the first N of it that are not its own.
 */

/** Loudness in dB over silence (RFC 6464's -dBov read as 127 - level): 0 is silence, 127 full scale. */
const DECAY_PER_SECOND = 25;
/** How much louder (dB) an outsider must be than the quietest routed speaker to take its place. */
const MARGIN = 6;

interface Source {
  /** The participant whose microphone it is. */
  owner: string;
  level: number;
  atMs: number;
  /** Its publisher's microphone is on (a muted one is never routed). */
  enabled: boolean;
}

/** One microphone's place in the ranking, as its publication sees it. */
export interface AudioRoute {
  /** A packet's loudness (0–127; -1 when it carries none). */
  observe(loudness: number, nowMs: number): void;
  /** Whether this subscriber receives the microphone now. */
  routes(subscriberSid: string): boolean;
  setEnabled(enabled: boolean): void;
  /** The microphone is unpublished. */
  close(): void;
}

export class LoudestSpeakers {
  private readonly sources = new Map<string, Source>();
  /** The N + 1 routed microphones (by track SID), loudest first as of the last ranking. */
  private ranked: string[] = [];
  /** Each routed microphone's place in `ranked`. */
  private readonly place = new Map<string, number>();
  /** Each participant's best place in `ranked`, for the ones with a routed microphone. */
  private readonly ownerPlace = new Map<string, number>();

  /** `n`: how many speakers each subscriber hears; 0 routes everyone to everyone. */
  constructor(private readonly n: number) {}

  /** Whether last-N is doing anything: more microphones than a subscriber may hear, and some besides its own. */
  private get limiting(): boolean {
    return this.n > 0 && this.sources.size > this.n + 1;
  }

  /** A microphone joins the ranking, as silent. */
  add(trackSid: string, ownerSid: string, enabled = true): AudioRoute {
    this.sources.set(trackSid, { owner: ownerSid, level: 0, atMs: 0, enabled });
    return {
      observe: (loudness, nowMs) => this.observe(trackSid, loudness, nowMs),
      routes: (subscriberSid) => this.routes(trackSid, subscriberSid),
      setEnabled: (on) => this.setEnabled(trackSid, on),
      close: () => this.remove(trackSid),
    };
  }

  private remove(trackSid: string): void {
    this.sources.delete(trackSid);
    this.rank(performance.now());
  }

  private setEnabled(trackSid: string, enabled: boolean): void {
    const source = this.sources.get(trackSid);
    if (!source || source.enabled === enabled) return;
    source.enabled = enabled;
    if (!enabled) source.level = 0;
    this.rank(performance.now());
  }

  /** Ranks again at once when a packet's loudness should change the set. */
  private observe(trackSid: string, loudness: number, nowMs: number): void {
    const source = this.sources.get(trackSid);
    if (!source || loudness < 0) return;
    const held = this.levelOf(source, nowMs);
    source.level = Math.max(held, loudness);
    source.atMs = nowMs;
    if (!this.limiting) return;
    const at = this.place.get(trackSid);
    if (at !== undefined && at < this.n) return;
    // The one it would displace: the quietest of those everyone hears when it is the stand-in
    // (the N + 1st), else the quietest routed at all.
    const rival = at === undefined ? this.ranked[this.n] : this.ranked[this.n - 1];
    if (rival === undefined || source.level > this.levelOf(this.sources.get(rival)!, nowMs) + MARGIN) this.rank(nowMs);
  }

  private routes(trackSid: string, subscriberSid: string): boolean {
    if (!this.limiting) return true;
    const at = this.place.get(trackSid);
    if (at === undefined) return false;
    if (at < this.n) return true;
    // The last of N + 1 stands in for a subscriber that is itself among the first N.
    const own = this.ownerPlace.get(subscriberSid);
    return own !== undefined && own < this.n;
  }

  /** Ranks again (the room calls this on its beat, so levels that fell are seen to). */
  rank(nowMs: number): void {
    this.place.clear();
    this.ownerPlace.clear();
    if (!this.limiting) {
      this.ranked = [];
      return;
    }
    const size = this.n + 1;
    const levels = new Map<string, number>();
    for (const [sid, source] of this.sources) if (source.enabled) levels.set(sid, this.levelOf(source, nowMs));
    const byLevel = [...levels.keys()].sort((a, b) => levels.get(b)! - levels.get(a)!);
    // The routed keep their places, and their order, unless someone is clearly louder than the
    // one before them: a subscriber's N are the first of the order.
    const kept = this.ranked.filter((sid) => levels.has(sid));
    const outside = byLevel.filter((sid) => !kept.includes(sid));
    while (kept.length < size && outside.length > 0) kept.push(outside.shift()!);
    const contender = outside[0];
    if (contender !== undefined && levels.get(contender)! > levels.get(kept.at(-1)!)! + MARGIN) {
      kept[kept.length - 1] = contender;
    }
    for (let moved = true; moved; ) {
      moved = false;
      for (let i = kept.length - 1; i > 0; i--) {
        if (levels.get(kept[i]!)! <= levels.get(kept[i - 1]!)! + MARGIN) continue;
        [kept[i - 1], kept[i]] = [kept[i]!, kept[i - 1]!];
        moved = true;
      }
    }
    this.ranked = kept;
    kept.forEach((sid, i) => {
      this.place.set(sid, i);
      const owner = this.sources.get(sid)!.owner;
      if (!this.ownerPlace.has(owner)) this.ownerPlace.set(owner, i);
    });
  }

  private levelOf(source: Source, nowMs: number): number {
    return Math.max(0, source.level - (DECAY_PER_SECOND * Math.max(0, nowMs - source.atMs)) / 1000);
  }
}
