/** The SFU in the calling process: used inside each media worker, and by tests (HUDDLE_WORKERS=0). */
import type { Logger } from 'pino';
import { MediaEngine, type MediaEngineOptions } from './engine/media-engine.js';
import { type MediaPolicy, MediaRoom } from './media-room.js';
import type { ForwardingCounters } from './publication.js';
import type { MediaRoomHandle, SfuService } from './sfu-service.js';

export class InProcessSfu implements SfuService {
  private readonly engine: MediaEngine;
  private readonly rooms = new Set<MediaRoom>();
  /** Shared by every publication, so what a departed participant forwarded is still counted. */
  private readonly forwarded: ForwardingCounters = { packets: 0, bytes: 0 };

  constructor(
    options: MediaEngineOptions,
    private readonly log: Logger,
    private readonly policy: MediaPolicy,
  ) {
    this.engine = new MediaEngine(options, log);
  }

  openRoom(room: { sid: string; name: string }): MediaRoomHandle {
    const media = new MediaRoom(room.sid, room.name, {
      ...this.policy,
      engine: this.engine,
      forwarded: this.forwarded,
      log: this.log,
    });
    this.rooms.add(media);
    this.log.info({ room: room.sid }, 'room created');
    return {
      join: (join, signals) => media.join(join, signals),
      answer: (sessionId, sdp) => media.answer(sessionId, sdp),
      command: (sessionId, command) => media.command(sessionId, command),
      leave: (sessionId, away) => media.leave(sessionId, away),
      depart: (participantSid) => media.depart(participantSid),
      close: () => {
        if (!this.rooms.delete(media)) return;
        media.close();
        this.log.info({ room: room.sid }, 'room closed');
      },
    };
  }

  /** Rejects when the media port cannot be had (MediaPortInUseError). */
  async ready(): Promise<void> {
    await this.engine.start();
  }

  describeWorkers() {
    return [];
  }

  takeForwardedCounts(): ForwardingCounters {
    const taken = { ...this.forwarded };
    this.forwarded.packets = 0;
    this.forwarded.bytes = 0;
    return taken;
  }

  async close(): Promise<void> {
    for (const room of this.rooms) room.close();
    this.rooms.clear();
    this.engine.stop();
    this.log.debug('in-process SFU closed');
  }

  /** Ends libdatachannel's threads; only when the process is about to exit. */
  shutdownEngine(): void {
    this.engine.shutdown();
  }
}
