/**
 * One SCTP data channel on a participant's connection: what carries a twilio-video data track.
 *
 * What libdatachannel 0.24.5 (node-datachannel 0.33.4) does with data channels, measured in
 * test/unit/data-channels.test.ts and read in its source (impl/peerconnection.cpp, impl/datachannel.cpp):
 * - An offer carries `m=application` only if a data channel exists when setLocalDescription runs,
 *   or if the remote description already has one (a negotiated SCTP line is then reciprocated in
 *   every later offer, even with no channel left). A browser answerer cannot add the line itself,
 *   so MediaPeer can reserve one at construction (its `data` option): a user-negotiated channel,
 *   which sends nothing on the wire and which the browser never sees (no DCEP, no `ondatachannel`).
 *   With an SCTP line, 'connected' comes only once SCTP is up, and an SCTP failure fails the
 *   whole connection, media included.
 * - The SCTP line must be in the first offer. Added by a renegotiation once DTLS is up, the
 *   answer hangs the process: setRemoteDescription starts SCTP on the JS thread, which feeds it
 *   the browser's already-queued INIT and waits (SctpTransport::incoming) for its own INIT to be
 *   written, while the DTLS threads that would write it wait for the lock it holds. Seen every
 *   time with Chromium; a libdatachannel answerer instead throws "SCTP transport initialization
 *   failed". MediaPeer refuses such lines.
 * - Chromium reads the reliability of a server line from the DCEP open exactly as given
 *   (ordered, maxRetransmits, maxPacketLifeTime), with the label and protocol.
 * - Stream ids follow the DTLS role: the server offers `a=setup:actpass`, a browser answers
 *   `active`, so the browser's channels get even ids and the server's odd ones (1, 3, ...), given
 *   when SCTP connects. `getId()` answers 65535 until then. 1024 streams are negotiated, so one
 *   side has 512 ids; a channel created past them throws natively ("Too many DataChannels"),
 *   inside the SCTP thread if it was created before SCTP connected: MediaPeer caps its lines.
 * - Offers carry `a=max-message-size:262144` (256 KiB, the default); the limit on a channel is
 *   the smaller of that and the remote's (65536 when the remote SDP names none; Chromium and
 *   libdatachannel answer 262144). A larger message throws in the binding; `send` checks first.
 * - The binding gives no reliability getter: what a remote channel's DCEP open carried (ordered,
 *   maxRetransmits, maxPacketLifeTime) is parsed natively and invisible to JavaScript, so a client
 *   line's `reliability` is null; it must travel in signalling (or in the channel's `protocol`,
 *   which does arrive). A channel the server opens announces the reliability it was given.
 * - Until the remote acknowledges the open, messages go ordered and reliable whatever was asked.
 * - Wrong-state calls on a channel throw JavaScript errors (no abort): a send before SCTP is up
 *   ("DataChannel not open"), after `close()` ("called on destroyed channel", and so do getLabel,
 *   getId, getProtocol), after the connection closed ("Sending failed, errno=32"). The native send
 *   answers false when it only queued the message (SCTP's window full: see bufferedAmount), and
 *   also when it dropped it because SCTP is no longer connected (the line closes just after).
 * - A channel nobody reads keeps at most 1024 messages natively, then blocks the SCTP thread that
 *   delivers them; so the message callback is set at once and messages wait here instead.
 * - `close()` from JS still fires the native closed event, and only that event frees the
 *   binding's callbacks; a collected wrapper closes its channel: every DataLine keeps its own.
 */
import type { NativeDataChannel } from './native.js';

/** Reliability of a channel as DCEP carries it (RFC 8832); at most one of the two limits is set. */
export interface DataReliability {
  ordered: boolean;
  /** Retransmissions before a message is given up, or null. */
  maxRetransmits: number | null;
  /** Milliseconds before a message is given up, or null. */
  maxPacketLifeTime: number | null;
}

export type DataMessage = string | Buffer;

/** The stream id the binding answers before one is assigned. */
const UNASSIGNED_STREAM = 65535;
/** Messages kept while nobody listens yet (libdatachannel's own per-channel queue limit). */
const UNREAD_LIMIT = 1024;

export class DataLine {
  readonly label: string;
  readonly protocol: string;
  /** Assigned when SCTP connects; undefined before. */
  private streamId: number | undefined;
  /** Kept from the native events: isOpen() is a native call taking a lock. */
  private open = false;
  private closed = false;
  private messageSizeLimit = 0;
  private message: ((data: DataMessage) => void) | undefined;
  private unread: DataMessage[] = [];
  private unreadDropped = 0;
  private readonly openListeners: Array<() => void> = [];
  private readonly closedListeners: Array<() => void> = [];

  /**
   * @param origin 'server' for a channel this side opened, 'client' for one the remote opened in band.
   * @param reliability what a server line was opened with; null for a client line (see above).
   */
  constructor(
    private readonly channel: NativeDataChannel,
    readonly origin: 'server' | 'client',
    readonly reliability: DataReliability | null,
  ) {
    // Read now: after close() the binding throws on each of these.
    this.label = channel.getLabel();
    this.protocol = channel.getProtocol();
    this.readId();
    channel.onOpen(() => this.opened());
    channel.onClosed(() => this.markClosed());
    channel.onMessage((data) => this.received(data));
    // A client line arrives already open: its open event fired before this wrapper existed.
    if (channel.isOpen()) this.opened();
  }

  /** The SCTP stream id; undefined until SCTP has connected. */
  get id(): number | undefined {
    return this.streamId;
  }

  get isOpen(): boolean {
    return this.open;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The largest message `send` takes, in bytes (strings count as UTF-8); 0 until open. */
  get maxMessageSize(): number {
    return this.messageSizeLimit;
  }

  /** Bytes queued natively and not yet handed to SCTP. */
  get bufferedAmount(): number {
    if (this.closed) return 0;
    try {
      return this.channel.bufferedAmount();
    } catch {
      return 0;
    }
  }

  /** Messages that arrived before anyone listened and were dropped (over UNREAD_LIMIT). */
  get droppedUnread(): number {
    return this.unreadDropped;
  }

  private readId(): void {
    try {
      const id = this.channel.getId();
      this.streamId = id === UNASSIGNED_STREAM || id < 0 ? undefined : id;
    } catch {
      // destroyed natively
    }
  }

  private opened(): void {
    if (this.closed || this.open) return;
    this.open = true;
    this.readId();
    try {
      this.messageSizeLimit = this.channel.maxMessageSize();
    } catch {
      this.messageSizeLimit = 0;
    }
    for (const listener of this.openListeners.splice(0)) listener();
  }

  private received(data: string | Buffer | ArrayBuffer): void {
    if (this.closed) return;
    const message = data instanceof ArrayBuffer ? Buffer.from(data) : data;
    if (this.message) {
      this.message(message);
      return;
    }
    if (this.unread.length < UNREAD_LIMIT) this.unread.push(message);
    else this.unreadDropped++;
  }

  /**
   * Every message from the remote, strings as strings and binary as Buffers. One callback: a new
   * one replaces the last. Messages that came before the first callback are given to it at once.
   */
  onMessage(callback: (data: DataMessage) => void): void {
    this.message = callback;
    for (const message of this.unread.splice(0)) callback(message);
  }

  /** Called once the line can send (at once if it already can; never if it closes first). */
  onOpen(callback: () => void): void {
    if (this.closed) return;
    if (this.open) callback();
    else this.openListeners.push(callback);
  }

  /** Called once when the line closes, from either end or with its connection (at once if it has). */
  onClosed(callback: () => void): void {
    if (this.closed) callback();
    else this.closedListeners.push(callback);
  }

  /**
   * Sends one message. True when libdatachannel took it (sent, or queued behind SCTP's window:
   * see bufferedAmount; or, on a connection failing that moment, dropped); false, without a native
   * call, when the line is not open or the message is over maxMessageSize, and false when the
   * binding refuses it (closed natively meanwhile).
   */
  send(data: string | Uint8Array): boolean {
    if (!this.open || this.closed) return false;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    if (size > this.messageSizeLimit) return false;
    try {
      if (typeof data === 'string') this.channel.sendMessage(data);
      else this.channel.sendMessageBinary(data);
      return true;
    } catch {
      // Closed natively before the closed event reached us.
      return false;
    }
  }

  /** Closes the channel (an SCTP stream reset the remote sees as 'close'); idempotent, never throws. */
  close(): void {
    if (this.closed) return;
    try {
      this.channel.close();
    } catch {
      // already closed natively
    }
    this.markClosed();
  }

  /** Fires the closed listeners once, whichever comes first: close() or the native event. */
  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    this.message = undefined;
    this.unread = [];
    this.openListeners.length = 0;
    for (const listener of this.closedListeners.splice(0)) listener();
  }
}
