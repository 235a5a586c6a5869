/**
 * When to ask a publisher for a keyframe. A new viewer can decode nothing before one, so it is
 * asked for promptly (at most every 300 ms, never dropped). A viewer that lost packets is repaired
 * by retransmission first; when it still asks (PLI/FIR), one keyframe serves every viewer, and
 * repair keyframes are spaced a second apart, so one lossy viewer cannot make everyone else watch
 * a keyframe storm (each keyframe is several times a normal frame's size, for everyone).
 */
export interface KeyframePolicy {
  newViewerIntervalMs: number;
  repairIntervalMs: number;
}

export const DEFAULT_KEYFRAME_POLICY: KeyframePolicy = { newViewerIntervalMs: 300, repairIntervalMs: 1000 };

export class KeyframeRequests {
  private lastRequestMs = -Infinity;
  private lastKeyframeMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private scheduledAtMs = Infinity;
  /** Requests sent to the publisher, for measurements. */
  sent = 0;

  constructor(
    private readonly request: () => void,
    private readonly policy: KeyframePolicy = DEFAULT_KEYFRAME_POLICY,
  ) {}

  forNewViewer(): void {
    this.requestAfter(this.lastRequestMs + this.policy.newViewerIntervalMs);
  }

  forRepair(): void {
    const recent = Math.max(this.lastRequestMs, this.lastKeyframeMs);
    this.requestAfter(recent + this.policy.repairIntervalMs);
  }

  /** A keyframe went out: a repair request soon after it is most likely answered by it already. */
  keyframeArrived(nowMs: number): void {
    this.lastKeyframeMs = nowMs;
  }

  /** Asks at `notBeforeMs` at the earliest; requests coalesce into the earliest one scheduled. */
  private requestAfter(notBeforeMs: number): void {
    if (this.timer && this.scheduledAtMs <= notBeforeMs) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const wait = notBeforeMs - performance.now();
    if (wait <= 0) return this.send();
    this.scheduledAtMs = notBeforeMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, wait);
  }

  private send(): void {
    this.lastRequestMs = performance.now();
    this.sent++;
    this.request();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
