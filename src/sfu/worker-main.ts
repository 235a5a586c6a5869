/**
 * A media worker process: one InProcessSfu, driven over IPC by the main process. Native code in
 * libdatachannel can abort a process; here that costs the rooms of one worker, which the main
 * process restarts, not the server.
 */
import { createLogger } from '../server/logger.js';
import { InProcessSfu } from './in-process-sfu.js';
import { type FromWorker, type ToWorker, WORKER_OPTIONS_ENV, type WorkerOptions } from './worker-ipc.js';

const COUNTS_INTERVAL_MS = 1000;

const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? '{}') as WorkerOptions;
const log = createLogger(options.logLevel).child({ worker: options.index });
const sfu = new InProcessSfu(options.rtc, log);

function post(message: FromWorker): void {
  if (process.connected) process.send!(message);
}

process.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'join': {
      const { sessionId } = message;
      sfu.join(message, {
        send: (m) => post({ t: 'signal', sessionId, message: m }),
        evict: (code) => post({ t: 'evict', sessionId, code }),
      });
      return;
    }
    case 'answer':
      return sfu.answer(message.sessionId, message.sdp);
    case 'command':
      return sfu.command(message.sessionId, message.command);
    case 'leave':
      return sfu.leave(message.sessionId);
    case 'shutdown':
      void sfu.close().then(() => {
        sfu.shutdownEngine();
        process.exit(0);
      });
      return;
  }
});

setInterval(() => post({ t: 'counts', ...sfu.takeForwardedCounts() }), COUNTS_INTERVAL_MS).unref();
// The main process is gone: nobody can reach these rooms any more.
process.on('disconnect', () => process.exit(0));
log.info({ port: options.rtc.port }, 'media worker ready');
post({ t: 'ready' });
