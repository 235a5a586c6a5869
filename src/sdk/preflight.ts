/**
 * twilio-video's runPreflight(): a test call before the real one. Huddle's joins the token's
 * room (or, without a room grant, a room of its own) as one participant that publishes a
 * synthetic camera and microphone and receives nothing, for `duration` ms, and reports what the
 * connection did: how long signalling, ICE, DTLS and the first media took, and the round trip,
 * jitter and loss of its media at the server (from the server's receiver reports), each with
 * min, max and average. Twilio's has a second, subscribing participant; one suffices here,
 * since the server reports on what it received.
 */
import { connect } from './connect.js';
import { LocalAudioTrack, LocalVideoTrack } from './local-track.js';
import type { Room } from './room.js';
import { TypedEmitter } from './typed-emitter.js';

export interface PreflightOptions {
  /** How long media flows, in ms (twilio-video's default: 10 s). */
  duration?: number;
  /** Taken: one server is one region. */
  region?: string;
}

export interface TimeMeasurement {
  start: number;
  end?: number;
  duration?: number;
}

export interface Stats {
  average: number;
  max: number;
  min: number;
}

export interface RTCIceCandidateStats {
  transportId?: string;
  address?: string;
  port?: number;
  protocol?: string;
  candidateType?: string;
  priority?: number;
  url?: string;
  relayProtocol?: string;
}

export interface PreflightTestReport {
  testTiming: TimeMeasurement;
  networkTiming: {
    connect?: TimeMeasurement;
    dtls?: TimeMeasurement;
    ice?: TimeMeasurement;
    peerConnection?: TimeMeasurement;
    media?: TimeMeasurement;
  };
  /** jitter in seconds, rtt in ms, packetLoss in percent of the packets sent. */
  stats: { jitter: Stats | null; rtt: Stats | null; packetLoss: Stats | null };
  iceCandidateStats: RTCIceCandidateStats[];
  selectedIceCandidatePairStats: { localCandidate: RTCIceCandidateStats; remoteCandidate: RTCIceCandidateStats } | null;
  progressEvents: Array<{ duration: number; name: string }>;
}

export interface PreflightTestEvents {
  progress: (progress: string) => void;
  completed: (report: PreflightTestReport) => void;
  failed: (error: Error, report: PreflightTestReport) => void;
}

const DEFAULT_DURATION_MS = 10_000;
/** Stats are read this often; until every step is timed, every STEP_INTERVAL_MS (the timings' resolution). */
const SAMPLE_INTERVAL_MS = 1000;
const STEP_INTERVAL_MS = 50;

const summary = (values: number[]): Stats | null =>
  values.length === 0
    ? null
    : {
        min: Math.min(...values),
        max: Math.max(...values),
        average: values.reduce((a, b) => a + b, 0) / values.length,
      };

const measure = (start: number, end = performance.now()): TimeMeasurement => ({ start, end, duration: end - start });

/** A camera that moves (so the encoder sends) and a tone: media that needs no device or permission. */
function syntheticTracks(): { tracks: [LocalVideoTrack, LocalAudioTrack]; stop: () => void } {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const painter = setInterval(() => {
    frame++;
    context.fillStyle = `hsl(${(frame * 7) % 360} 70% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#fff';
    context.fillRect((frame * 8) % canvas.width, 200, 80, 80);
  }, 1000 / 24);
  const audio = new AudioContext();
  const oscillator = audio.createOscillator();
  const destination = audio.createMediaStreamDestination();
  oscillator.connect(destination);
  oscillator.start();
  const video = new LocalVideoTrack(canvas.captureStream(24).getVideoTracks()[0]!, { name: 'preflight-video' });
  const tone = new LocalAudioTrack(destination.stream.getAudioTracks()[0]!, { name: 'preflight-audio' });
  return {
    tracks: [video, tone],
    stop: () => {
      clearInterval(painter);
      video.stop();
      tone.stop();
      oscillator.stop();
      void audio.close();
    },
  };
}

export class PreflightTest extends TypedEmitter<PreflightTestEvents> {
  private stopped = false;
  private readonly started = performance.now();
  private readonly report: PreflightTestReport;

  /** @internal use runPreflight() */
  constructor(
    private readonly token: string,
    private readonly options: PreflightOptions = {},
  ) {
    super();
    this.report = {
      testTiming: { start: this.started },
      networkTiming: {},
      stats: { jitter: null, rtt: null, packetLoss: null },
      iceCandidateStats: [],
      selectedIceCandidatePairStats: null,
      progressEvents: [],
    };
    // Listeners are added after runPreflight() returns: the test starts on the next turn.
    setTimeout(() => void this.run(), 0);
  }

  /** Ends the test early: it fails with an Error 'Stopped' and the report so far. */
  stop(): void {
    this.stopped = true;
  }

  private progress(name: string): void {
    this.report.progressEvents.push({ name, duration: performance.now() - this.started });
    this.emit('progress', name);
  }

  private async run(): Promise<void> {
    const media = syntheticTracks();
    this.progress('mediaAcquired');
    let room: Room | undefined;
    try {
      const connectStart = performance.now();
      room = await connect(this.token, { tracks: media.tracks, automaticSubscription: false });
      this.report.networkTiming.connect = measure(connectStart);
      this.progress('connected');
      await this.sample(room, connectStart);
      this.finish(room, media.stop);
      this.emit('completed', this.report);
    } catch (error) {
      this.finish(room, media.stop);
      this.emit('failed', error instanceof Error ? error : new Error(String(error)), this.report);
    }
  }

  private finish(room: Room | undefined, stopMedia: () => void): void {
    room?.disconnect();
    stopMedia();
    this.report.testTiming = measure(this.started);
  }

  /** Reads the connection's stats every second for the test's duration. */
  private async sample(room: Room, since: number): Promise<void> {
    const jitter: number[] = [];
    const rtt: number[] = [];
    const loss: number[] = [];
    const end = performance.now() + (this.options.duration ?? DEFAULT_DURATION_MS);
    const timing = this.report.networkTiming;
    while (performance.now() < end) {
      if (this.stopped) throw new Error('Stopped');
      if (room.state === 'disconnected') throw new Error('The room disconnected during the test');
      const stepsTimed = timing.ice && timing.dtls && timing.media;
      await new Promise((resolve) => setTimeout(resolve, stepsTimed ? SAMPLE_INTERVAL_MS : STEP_INTERVAL_MS));
      const stats = [...(await room._rawStats()).values()] as Array<Record<string, unknown>>;
      const byId = new Map(stats.map((s) => [s.id as string, s]));
      const transport = stats.find((s) => s.type === 'transport');
      const pair = byId.get(transport?.selectedCandidatePairId as string);
      if (!timing.ice && pair?.state === 'succeeded') {
        timing.ice = measure(since);
        this.progress('iceConnected');
      }
      if (!timing.dtls && transport?.dtlsState === 'connected') {
        timing.dtls = measure(since);
        this.progress('dtlsConnected');
        timing.peerConnection = measure(since);
        this.progress('peerConnectionConnected');
      }
      if (pair) this.report.selectedIceCandidatePairStats = candidatePair(pair, byId);
      this.report.iceCandidateStats = stats
        .filter((s) => s.type === 'local-candidate' || s.type === 'remote-candidate')
        .map(candidate);
      // What the server received of this page's media: its receiver reports.
      for (const report of stats.filter((s) => s.type === 'remote-inbound-rtp')) {
        if (!timing.media) {
          timing.media = measure(since);
          this.progress('mediaStarted');
        }
        if (!stepsTimed) continue; // the fast reads would count one report many times
        if (typeof report.jitter === 'number') jitter.push(report.jitter);
        if (typeof report.roundTripTime === 'number') rtt.push(report.roundTripTime * 1000);
        if (typeof report.fractionLost === 'number') loss.push(report.fractionLost * 100);
      }
    }
    this.report.stats = { jitter: summary(jitter), rtt: summary(rtt), packetLoss: summary(loss) };
  }
}

function candidate(s: Record<string, unknown>): RTCIceCandidateStats {
  return {
    transportId: s.transportId as string | undefined,
    address: (s.address ?? s.ip) as string | undefined,
    port: s.port as number | undefined,
    protocol: s.protocol as string | undefined,
    candidateType: s.candidateType as string | undefined,
    priority: s.priority as number | undefined,
    url: s.url as string | undefined,
    relayProtocol: s.relayProtocol as string | undefined,
  };
}

function candidatePair(pair: Record<string, unknown>, byId: Map<string, Record<string, unknown>>) {
  const local = byId.get(pair.localCandidateId as string);
  const remote = byId.get(pair.remoteCandidateId as string);
  return local && remote ? { localCandidate: candidate(local), remoteCandidate: candidate(remote) } : null;
}

/** twilio-video's runPreflight(token, {duration}): the test starts at once; listen for its events. */
export function runPreflight(token: string, options?: PreflightOptions): PreflightTest {
  return new PreflightTest(token, options);
}
