/** Prometheus metrics for GET /metrics. */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ErrorCode } from '../protocol/errors.js';

export interface MetricsSources {
  rooms(): number;
  participants(): number;
  takeForwardedCounts(): { packets: number; bytes: number };
}

export class Metrics {
  readonly registry = new Registry();
  private readonly workerRestarts = new Counter({
    name: 'huddle_worker_restarts_total',
    help: 'Media workers that died and were restarted',
    registers: [this.registry],
  });
  private readonly signallingErrors = new Counter({
    name: 'huddle_signalling_errors_total',
    help: 'Signalling errors sent or closes made, by stable code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  private readonly forwardedPackets = new Counter({
    name: 'huddle_forwarded_packets_total',
    help: 'RTP packets forwarded to subscribers',
    registers: [this.registry],
  });
  private readonly forwardedBytes = new Counter({
    name: 'huddle_forwarded_bytes_total',
    help: 'RTP bytes forwarded to subscribers',
    registers: [this.registry],
  });

  constructor(private readonly sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'huddle_process_' });
    new Gauge({
      name: 'huddle_rooms',
      help: 'Rooms with at least one participant',
      registers: [this.registry],
      collect() {
        this.set(sources.rooms());
      },
    });
    new Gauge({
      name: 'huddle_participants',
      help: 'Participants in all rooms',
      registers: [this.registry],
      collect() {
        this.set(sources.participants());
      },
    });
  }

  /** The exposition text. Forwarding counts are pulled from the SFU now, so its hot path only adds numbers. */
  async render(): Promise<string> {
    const counts = this.sources.takeForwardedCounts();
    this.forwardedPackets.inc(counts.packets);
    this.forwardedBytes.inc(counts.bytes);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  workerRestarted(): void {
    this.workerRestarts.inc();
  }

  signallingError(code: ErrorCode): void {
    this.signallingErrors.inc({ code });
  }
}
