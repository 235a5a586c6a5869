/**
 * Renumbers one audio stream for one subscriber when the server holds some of its packets back
 * (audio last-N): the subscriber must see the packets it gets as consecutive, or it counts each
 * held-back packet as lost (its loss statistics, its network quality, the server's estimate of its
 * downlink all read that). The timestamps jump, as after Opus DTX's silence, which a receiver
 * plays as such.
 */
export class SequenceGapCloser {
  /** Packets held back so far: every later packet's number moves down by this. */
  private held = 0;
  /** The newest sequence number seen (sent or held). */
  private newest: number | undefined;
  /** The first packet sent after the last hold: older ones belong to the numbering before it. */
  private resumedAt: number | undefined;
  private holding = false;

  /**
   * The packet is held back (a late one changes nothing). What its publisher's link lost while
   * packets were held back is closed up with them: the subscriber was not to have it anyway.
   */
  hold(sequence: number): void {
    if (!this.isNewest(sequence)) return;
    this.held += this.newest === undefined ? 1 : (sequence - this.newest) & 0xffff;
    this.newest = sequence;
    this.holding = true;
  }

  /** The number the subscriber sees for this packet, or -1 for a late packet from before a hold. */
  renumber(sequence: number): number {
    if (this.isNewest(sequence)) {
      this.newest = sequence;
      if (this.holding) {
        this.holding = false;
        this.resumedAt = sequence;
      }
    } else if (this.resumedAt !== undefined && ((sequence - this.resumedAt) & 0xffff) >= 0x8000) {
      return -1;
    }
    return (sequence - this.held) & 0xffff;
  }

  private isNewest(sequence: number): boolean {
    if (this.newest === undefined) return true;
    const ahead = (sequence - this.newest) & 0xffff;
    return ahead !== 0 && ahead < 0x8000;
  }
}
