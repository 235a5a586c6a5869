/**
 * A session on Janus's WebSocket API for the bench's synthetic clients: requests matched to
 * their answers by transaction, VideoRoom handles, and the room's publishers as Janus announces
 * them (id and display name).
 */
import WebSocket from 'ws';

export interface JanusMessage {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id: number };
  plugindata?: {
    data: {
      videoroom?: string;
      publishers?: { id: number; display?: string }[];
      unpublished?: number;
      leaving?: number;
      error?: string;
      /** A subscriber's streams: which mid carries which feed. */
      streams?: { mid: string; feed_id?: number; feed_display?: string; type?: string }[];
    };
  };
  jsep?: { type: string; sdp: string };
}

export class JanusSession {
  private readonly ws: WebSocket;
  private readonly pending = new Map<string, (message: JanusMessage) => void>();
  private transactions = 0;
  private sessionId: number | undefined;
  /** The room's publishers other than this client: display name by feed id. */
  readonly feeds = new Map<number, string>();
  private feedListeners: Array<() => void> = [];
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url, 'janus-protocol');
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()));
    this.ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as JanusMessage;
      if (message.janus === 'ack') return;
      const waiting = message.transaction !== undefined ? this.pending.get(message.transaction) : undefined;
      if (waiting) {
        this.pending.delete(message.transaction!);
        waiting(message);
      }
      if (message.janus === 'event') this.notePublishers(message);
    });
  }

  private request(body: object): Promise<JanusMessage> {
    return new Promise<JanusMessage>((resolve, reject) => {
      const transaction = `t${this.transactions++}`;
      this.pending.set(transaction, (message) => {
        const error =
          message.plugindata?.data.error ?? (message.janus === 'error' ? JSON.stringify(message) : undefined);
        if (error) reject(new Error(`Janus: ${error}`));
        else resolve(message);
      });
      this.ws.send(JSON.stringify({ ...body, transaction }));
    });
  }

  private notePublishers(message: JanusMessage): void {
    const data = message.plugindata?.data;
    for (const publisher of data?.publishers ?? []) this.feeds.set(publisher.id, publisher.display ?? '');
    if (data?.unpublished !== undefined) this.feeds.delete(data.unpublished);
    if (data?.leaving !== undefined) this.feeds.delete(data.leaving);
    for (const listener of this.feedListeners) listener();
  }

  /** Resolves once at least `count` other publishers are in the room. */
  feedsAtLeast(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.feeds.size < count) return;
        this.feedListeners = this.feedListeners.filter((l) => l !== check);
        resolve();
      };
      this.feedListeners.push(check);
      check();
    });
  }

  async create(): Promise<void> {
    await this.opened;
    this.sessionId = (await this.request({ janus: 'create' })).data!.id;
  }

  /** A new VideoRoom handle. */
  async attach(): Promise<number> {
    return (await this.request({ janus: 'attach', session_id: this.sessionId, plugin: 'janus.plugin.videoroom' })).data!
      .id;
  }

  /** A message to a handle; resolves with Janus's answer (its event, for asynchronous requests). */
  message(handle: number, body: object, jsep?: object): Promise<JanusMessage> {
    return this.request({
      janus: 'message',
      session_id: this.sessionId,
      handle_id: handle,
      body,
      ...(jsep ? { jsep } : {}),
    });
  }

  close(): void {
    this.ws.close();
  }
}
