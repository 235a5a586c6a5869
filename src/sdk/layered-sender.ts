/**
 * One video of this page sent in simulcast layers, on an RTCPeerConnection of its own that this
 * page offers (a browser sends simulcast only as the offerer; the server's connection is offered
 * by the server). The server answers (publishAnswer) and hands each viewer the layer its link
 * carries. The track's line on the main connection stays idle.
 */
import { log } from './logger.js';

/** A layer: its rid and how much smaller than the capture it is. Low to high, as the server reads them. */
export interface Layer {
  rid: string;
  scaleResolutionDownBy: number;
  /** bits/s; the top layer has the track's cap, or none. */
  maxBitrate?: number;
}

/** How long this page waits for its own ICE candidates before it offers with those it has. */
const GATHERING_WAIT_MS = 2000;

/**
 * Layers for a capture of this size: three from 960×540 (a quarter, half and whole), two from
 * 480×270 (half and whole), else one, which is not worth a connection of its own. These are
 * Chrome's own limits (it drops the top layers a capture is too small for); Firefox encodes the
 * layers it is given, at these scales (320×180, 640×360 and 1280×720 of its 1280×720 camera).
 * The lowest layer is capped low, so that a thin link can take it of several people at once.
 */
export function layersFor(width: number, height: number): Layer[] {
  const pixels = width * height;
  if (pixels >= 960 * 540) {
    return [
      { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
      { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
      { rid: 'f', scaleResolutionDownBy: 1 },
    ];
  }
  if (pixels >= 480 * 270) {
    return [
      { rid: 'q', scaleResolutionDownBy: 2, maxBitrate: 180_000 },
      { rid: 'h', scaleResolutionDownBy: 1 },
    ];
  }
  return [{ rid: 'q', scaleResolutionDownBy: 1 }];
}

export class LayeredSender {
  private readonly pc: RTCPeerConnection;
  private readonly sender: RTCRtpSender;
  private closed = false;

  constructor(
    configuration: RTCConfiguration,
    /** The main connection's line this video was given (the server's name for it). */
    readonly mid: string,
    track: MediaStreamTrack | null,
    layers: Layer[],
    private readonly offer: (sdp: string) => void,
    private readonly failed: (error: unknown) => void,
  ) {
    this.pc = new RTCPeerConnection(configuration);
    const transceiver = this.pc.addTransceiver(track ?? 'video', {
      direction: 'sendonly',
      sendEncodings: layers,
    });
    this.sender = transceiver.sender;
    void this.start().catch((error) => this.fail(error));
  }

  private async start(): Promise<void> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await this.gathered();
    if (this.closed) return;
    this.offer(this.pc.localDescription!.sdp);
  }

  /** Resolves once ICE gathering is complete, or after GATHERING_WAIT_MS. */
  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, GATHERING_WAIT_MS);
      this.pc.addEventListener('icegatheringstatechange', () => {
        if (this.pc.iceGatheringState !== 'complete') return;
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The server's answer to this connection's offer. */
  async answered(sdp: string): Promise<void> {
    if (this.closed || this.pc.signalingState !== 'have-local-offer') return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp }).catch((error) => this.fail(error));
  }

  /** What the layers are encoded from: the capture, or nothing (muted). */
  replace(track: MediaStreamTrack | null): void {
    if (this.closed || this.sender.track === track) return;
    this.sender.replaceTrack(track).catch((error) => log.warn('huddle: could not swap a sent track', error));
  }

  /** The track's cap (bits/s, or none) goes on its top layer; the lower ones keep theirs, under it. */
  async cap(maxBitrate: number | null): Promise<void> {
    if (this.closed) return;
    const parameters = this.sender.getParameters();
    const encodings = parameters.encodings ?? [];
    const top = encodings.at(-1);
    if (!top) return;
    if ((top.maxBitrate ?? null) === maxBitrate) return;
    if (maxBitrate === null) delete top.maxBitrate;
    else top.maxBitrate = maxBitrate;
    for (const encoding of encodings.slice(0, -1)) {
      if (maxBitrate !== null && (encoding.maxBitrate ?? Number.POSITIVE_INFINITY) > maxBitrate) {
        encoding.maxBitrate = maxBitrate;
      }
    }
    await this.sender.setParameters(parameters).catch((error) => log.warn('huddle: could not cap a bitrate', error));
  }

  /** Which layers are encoded: the server says when nobody receives them. */
  async setActive(active: readonly boolean[]): Promise<void> {
    if (this.closed) return;
    const parameters = this.sender.getParameters();
    const encodings = parameters.encodings ?? [];
    let changed = false;
    for (const [i, encoding] of encodings.entries()) {
      const on = active[i] ?? true;
      if (encoding.active === on) continue;
      encoding.active = on;
      changed = true;
    }
    if (changed)
      await this.sender.setParameters(parameters).catch((error) => log.warn('huddle: could not pause layers', error));
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.failed(error);
  }

  close(): void {
    this.closed = true;
    this.pc.close();
  }
}
