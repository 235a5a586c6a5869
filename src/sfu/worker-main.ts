/**
 * A media worker process: one InProcessSfu, driven over IPC by the main process. Native code in
 * libdatachannel can abort a process; here that costs the rooms of one worker, which the main
 * process restarts, not the server.
 */
import { createLogger } from '../logging/logger.js';
import { InProcessSfu } from './in-process-sfu.js';
import type { MediaRoomHandle } from './sfu-service.js';
import { type FromWorker, type ToWorker, WORKER_OPTIONS_ENV, type WorkerOptions } from './worker-ipc.js';

const COUNTS_INTERVAL_MS = 1000;

const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? '{}') as WorkerOptions;
const log = createLogger(options.logLevel).child({ worker: options.index });
const sfu = new InProcessSfu(options.rtc, log, options.policy);
const rooms = new Map<string, MediaRoomHandle>();

function post(message: FromWorker): void {
  if (process.connected) process.send!(message);
}

/** The media port is taken first (see MediaEngine.start); no peer may gather before that. */
const started = sfu.ready();

function handle(message: ToWorker): void {
  if (message.type === 'shutdown') {
    void sfu.close().then(() => {
      sfu.shutdownEngine();
      process.exit(0);
    });
    return;
  }
  if (message.type === 'openRoom') {
    rooms.set(message.roomSid, sfu.openRoom({ sid: message.roomSid, name: message.roomName }));
    return;
  }
  const room = rooms.get(message.roomSid);
  if (!room) return;
  switch (message.type) {
    case 'join': {
      const { sessionId } = message.join;
      room.join(message.join, {
        send: (m) => post({ type: 'signal', sessionId, message: m }),
        evict: (code) => post({ type: 'evict', sessionId, code }),
      });
      return;
    }
    case 'answer':
      return room.answer(message.sessionId, message.sdp);
    case 'command':
      return room.command(message.sessionId, message.command);
    case 'leave':
      return room.leave(message.sessionId, message.away);
    case 'depart':
      return room.depart(message.participantSid);
    case 'closeRoom':
      rooms.delete(message.roomSid);
      return room.close();
  }
}

// Messages that arrive while the port is being taken wait for it, in order.
process.on('message', (message: ToWorker) => {
  started.then(
    () => handle(message),
    () => {},
  );
});

setInterval(() => {
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  post({ type: 'counts', ...sfu.takeForwardedCounts(), memory: { rss, heapUsed, external, arrayBuffers } });
}, COUNTS_INTERVAL_MS).unref();
// The main process is gone: nobody can reach these rooms any more.
process.on('disconnect', () => process.exit(0));
started.then(
  () => {
    log.info({ port: options.rtc.port }, 'media worker ready');
    post({ type: 'ready' });
  },
  (error: Error) => {
    // The main process says why; this worker has nothing to carry media on.
    if (process.connected)
      process.send!({ type: 'ready', error: error.message } satisfies FromWorker, () => process.exit(1));
    else process.exit(1);
  },
);
