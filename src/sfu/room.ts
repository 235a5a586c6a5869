import type { Participant } from './participant.js';
import { newSid } from './sids.js';

export class Room {
  readonly sid = newSid('RM');
  readonly participants = new Map<string, Participant>();

  constructor(readonly name: string) {}

  findByIdentity(identity: string): Participant | undefined {
    for (const participant of this.participants.values()) if (participant.identity === identity) return participant;
    return undefined;
  }
}
