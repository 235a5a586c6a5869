/**
 * Which layer each synthetic subscriber asks for of each publisher, the same on both servers:
 * subscriber s starts with layer (s + p) mod L of publisher p (the room's videos spread over all
 * layers), and once switching has started, moves up one layer (from the top, to the bottom) every
 * `periodMs`, each pair at its own phase so that the room's switches are spread evenly in time.
 */
export interface Schedule {
  /** Subscriber and publisher indexes, and the room's size. */
  subscriber: number;
  n: number;
  layers: number;
  periodMs: number;
  /** When switching starts (Date.now() time, the same clock in every process); undefined: not yet. */
  startAtMs: number | undefined;
}

export function wantedLayer(schedule: Schedule, publisher: number, nowMs: number): number {
  const { subscriber, n, layers, periodMs, startAtMs } = schedule;
  const first = (subscriber + publisher) % layers;
  if (startAtMs === undefined || nowMs < startAtMs) return first;
  // Each ordered pair has its own slot in the period: n² slots, n(n - 1) of them used.
  const phase = (subscriber * n + publisher) / (n * n);
  const steps = Math.floor((nowMs - startAtMs) / periodMs - phase) + 1;
  return (first + Math.max(0, steps)) % layers;
}
