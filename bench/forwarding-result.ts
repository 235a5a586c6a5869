/** One forwarding run at one N on one server: what the bench measures, the chart draws and the smoke test checks. */
export interface ForwardingResult {
  n: number;
  /** Server CPU per RTP packet that reached a receiver. */
  cpuMicrosPerPacket: number;
  /** RTP packets the receivers counted, per second. */
  deliveredPerSecond: number;
  loss: number;
  /**
   * What the clients managed to send, as a share of the nominal 170 packets/s each: below 100 %
   * the machine is saturated and the clients themselves are starved (the offered load fell).
   */
  offered: number;
  /** Share of one core the server used. */
  cpuCores: number;
  rssMiB: number;
  /** Huddle's main process only (Janus has no event loop to measure). */
  eventLoopP99Ms: number | null;
  /** Participants receiving every other participant's audio and video. */
  clientsReceivingAll: number;
}
