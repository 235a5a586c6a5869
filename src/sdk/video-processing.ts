/**
 * twilio-video's video processors (LocalVideoTrack.addProcessor): each frame of the capture is
 * drawn into an input frame buffer, handed with an output canvas to the app's
 * `processor.processFrame(input, output)` (a blur, a background, a filter), and the output
 * canvas is what is sent and shown, as `processedTrack`. Everything here runs in the page.
 */
import { log } from './logger.js';

/** twilio-video's VideoProcessor: apps (and @twilio/video-processors) implement processFrame. */
export interface VideoProcessor {
  processFrame(
    inputFrameBuffer: OffscreenCanvas | HTMLCanvasElement | HTMLVideoElement | VideoFrame,
    outputFrameBuffer: HTMLCanvasElement,
  ): Promise<void> | void;
  // (A processor written for twilio-video's first API returns its frame instead: drawn too.)
}

/** twilio-video's AddProcessorOptions. */
export interface AddProcessorOptions {
  /** What processFrame is given: an OffscreenCanvas (the default), a canvas, the video element, or a VideoFrame. */
  inputFrameBufferType?: 'video' | 'canvas' | 'offscreencanvas' | 'videoframe';
  /** The output canvas's context, made before the first frame so the processor finds it ('2d' by default). */
  outputFrameBufferContextType?: string;
}

function isDrawable(value: unknown): value is OffscreenCanvas | HTMLCanvasElement | ImageBitmap {
  return (
    (typeof OffscreenCanvas !== 'undefined' && value instanceof OffscreenCanvas) ||
    (typeof HTMLCanvasElement !== 'undefined' && value instanceof HTMLCanvasElement) ||
    (typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap)
  );
}

/** Frames per second when the capture does not say (requestVideoFrameCallback is used where there is one). */
const DEFAULT_FRAME_RATE = 24;

type FrameVideo = HTMLVideoElement & { requestVideoFrameCallback?(callback: () => void): number };

export class VideoProcessingPipeline {
  /** What the processor draws: sent and shown in place of the capture. */
  readonly output: MediaStreamTrack;
  private readonly video = document.createElement('video') as FrameVideo;
  private readonly canvas = document.createElement('canvas');
  private readonly inputCanvas: OffscreenCanvas | HTMLCanvasElement | undefined;
  private stopped = false;
  private busy = false;

  constructor(
    private source: MediaStreamTrack,
    readonly processor: VideoProcessor,
    private readonly options: AddProcessorOptions = {},
  ) {
    const type = options.inputFrameBufferType ?? 'offscreencanvas';
    this.inputCanvas =
      type === 'offscreencanvas' && typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(1, 1)
        : type === 'canvas' || type === 'offscreencanvas'
          ? document.createElement('canvas')
          : undefined;
    this.canvas.getContext(options.outputFrameBufferContextType ?? '2d');
    // captureStream(0): a frame is taken only when requestFrame() says one is drawn.
    this.output = this.canvas.captureStream(0).getVideoTracks()[0]!;
    this.video.muted = true;
    this.video.playsInline = true;
    this.setSource(source);
  }

  /** The capture changed (restart()): the processor now takes its frames from the new one. */
  setSource(source: MediaStreamTrack): void {
    this.source = source;
    this.video.srcObject = new MediaStream([source]);
    this.video.play().catch(() => undefined);
    this.scheduleNext();
  }

  stop(): void {
    this.stopped = true;
    this.video.srcObject = null;
    this.output.stop();
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    if (this.video.requestVideoFrameCallback) this.video.requestVideoFrameCallback(() => void this.frame());
    else {
      const rate = this.source.getSettings().frameRate || DEFAULT_FRAME_RATE;
      setTimeout(() => void this.frame(), 1000 / rate);
    }
  }

  private async frame(): Promise<void> {
    if (this.stopped || this.busy) return;
    this.busy = true;
    const { videoWidth: width, videoHeight: height } = this.video;
    try {
      if (width > 0 && height > 0) {
        if (this.canvas.width !== width || this.canvas.height !== height) {
          this.canvas.width = width;
          this.canvas.height = height;
        }
        const input = this.input(width, height);
        let result: unknown;
        try {
          result = await this.processor.processFrame(input, this.canvas);
        } finally {
          if (typeof VideoFrame !== 'undefined' && input instanceof VideoFrame) input.close();
        }
        // twilio-video's first processor API returned the processed frame (a canvas), or null to
        // drop it; the quickstart's filter example still does.
        if (result === null) return;
        if (isDrawable(result)) this.canvas.getContext('2d')?.drawImage(result, 0, 0, width, height);
        (this.output as MediaStreamTrack & { requestFrame?(): void }).requestFrame?.();
      }
    } catch (error) {
      log.warn('huddle: a video processor failed on a frame', error);
    } finally {
      this.busy = false;
      this.scheduleNext();
    }
  }

  private input(width: number, height: number): OffscreenCanvas | HTMLCanvasElement | HTMLVideoElement | VideoFrame {
    const type = this.options.inputFrameBufferType ?? 'offscreencanvas';
    if (type === 'video') return this.video;
    if (type === 'videoframe') return new VideoFrame(this.video, { timestamp: performance.now() * 1000 });
    const input = this.inputCanvas!;
    if (input.width !== width || input.height !== height) {
      input.width = width;
      input.height = height;
    }
    const context = input.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
    context.drawImage(this.video, 0, 0, width, height);
    return input;
  }
}
