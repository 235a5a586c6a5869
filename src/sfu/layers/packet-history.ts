/**
 * The last packets of one layer, by their sequence number as they arrived, for the SFU's own
 * retransmissions to subscribers (see retransmitter.ts). Each is kept as forwarding leaves it, not
 * copied: its sequence number, timestamp, picture ID, TL0PICIDX, KEYIDX and SSRC are the last
 * subscriber's, and a resend writes every one of them again for its own subscriber.
 */
export class PacketHistory {
  private readonly packets: Array<Buffer | undefined>;
  private readonly sequences: Int32Array;

  constructor(private readonly size: number) {
    this.packets = new Array(size);
    this.sequences = new Int32Array(size).fill(-1);
  }

  store(sequence: number, packet: Buffer): void {
    const slot = sequence % this.size;
    this.packets[slot] = packet;
    this.sequences[slot] = sequence;
  }

  get(sequence: number): Buffer | undefined {
    const slot = sequence % this.size;
    return this.sequences[slot] === sequence ? this.packets[slot] : undefined;
  }
}
