/**
 * The last packets of one layer as they arrived (before any subscriber's rewriting), by sequence
 * number, for the SFU's own retransmissions to subscribers (see retransmitter.ts). One copy per
 * packet, whatever the number of subscribers.
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
    this.packets[slot] = Buffer.from(packet);
    this.sequences[slot] = sequence;
  }

  get(sequence: number): Buffer | undefined {
    const slot = sequence % this.size;
    return this.sequences[slot] === sequence ? this.packets[slot] : undefined;
  }
}
