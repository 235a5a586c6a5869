import type { Logger } from 'pino';
import type { MediaEngineOptions } from './media-engine.js';
import { MediaEngine } from './media-engine.js';
import type { Participant } from './participant.js';
import { RoomRegistry } from './room-registry.js';
import type { JoinCommand, ParticipantCommand, SessionSignals, SfuService } from './sfu-service.js';

/** The SFU in the calling process: used inside each media worker, and by tests. */
export class InProcessSfu implements SfuService {
  private readonly engine: MediaEngine;
  readonly registry: RoomRegistry;
  private readonly sessions = new Map<string, Participant>();

  constructor(
    options: MediaEngineOptions,
    private readonly log: Logger,
  ) {
    this.engine = new MediaEngine(options, log);
    this.registry = new RoomRegistry(this.engine, log);
  }

  join(command: JoinCommand, signals: SessionSignals): void {
    const participant = this.registry.join({
      participantSid: command.participantSid,
      identity: command.identity,
      roomName: command.roomName,
      publish: command.publish,
      signals: {
        send: signals.send,
        evict: (code) => {
          this.sessions.delete(command.sessionId);
          signals.evict(code);
        },
      },
    });
    this.sessions.set(command.sessionId, participant);
  }

  answer(sessionId: string, sdp: string): void {
    const participant = this.sessions.get(sessionId);
    if (!participant) return;
    try {
      participant.acceptAnswer(sdp);
    } catch (error) {
      participant.signals.send({
        type: 'error',
        code: 'NEGOTIATION_FAILED',
        message: error instanceof Error ? error.message : String(error),
        ref: 'answer',
      });
    }
  }

  command(sessionId: string, command: ParticipantCommand): void {
    const participant = this.sessions.get(sessionId);
    if (!participant) return;
    switch (command.op) {
      case 'trackState':
        return this.registry.setTrackEnabled(participant, command.trackSid, command.enabled);
      case 'publishScreen':
        return this.registry.publishScreen(participant);
      case 'unpublish':
        return this.registry.unpublish(participant, command.trackSid);
    }
  }

  leave(sessionId: string): void {
    const participant = this.sessions.get(sessionId);
    if (!participant) return;
    this.sessions.delete(sessionId);
    this.registry.leave(participant);
  }

  describeWorkers() {
    return [];
  }

  takeForwardedCounts() {
    return this.registry.takeForwardedCounts();
  }

  async close(): Promise<void> {
    this.registry.closeAll();
    this.sessions.clear();
    this.log.debug('in-process SFU closed');
  }

  /** Ends libdatachannel's threads; only when the process is about to exit. */
  shutdownEngine(): void {
    this.engine.shutdown();
  }
}
