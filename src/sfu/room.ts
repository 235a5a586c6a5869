import { newSid } from '../protocol/sids.js';
import type { Participant } from './participant.js';
import type { ForwardingCounters } from './publication.js';
import { loudestSpeaker, SPEAKER_INTERVAL_MS } from './speaker-detector.js';

export class Room {
  readonly sid = newSid('RM');
  readonly participants = new Map<string, Participant>();
  dominantSpeaker: string | null = null;
  private readonly speakerTimer: NodeJS.Timeout;

  /** @param forwarded the server-wide forwarding counters its publications add to */
  constructor(
    readonly name: string,
    readonly forwarded: ForwardingCounters,
  ) {
    this.speakerTimer = setInterval(() => this.detectSpeaker(), SPEAKER_INTERVAL_MS);
    this.speakerTimer.unref();
  }

  /** Tells everyone when the loudest unmuted microphone changes hands. */
  private detectSpeaker(): void {
    const levels = new Map<string, number>();
    for (const participant of this.participants.values()) {
      const microphone = participant.publications.find((p) => p.kind === 'audio');
      if (microphone) levels.set(participant.sid, microphone.enabled ? microphone.levels.take() : 0);
    }
    const current =
      this.dominantSpeaker !== null && this.participants.has(this.dominantSpeaker) ? this.dominantSpeaker : null;
    const next = loudestSpeaker(levels, current);
    if (next === this.dominantSpeaker) return;
    this.dominantSpeaker = next;
    for (const participant of this.participants.values())
      participant.signals.send({ type: 'dominantSpeaker', participantSid: next });
  }

  close(): void {
    clearInterval(this.speakerTimer);
  }

  findByIdentity(identity: string): Participant | undefined {
    for (const participant of this.participants.values()) if (participant.identity === identity) return participant;
    return undefined;
  }
}
