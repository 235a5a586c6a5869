/** What the bench's runners and their synthetic client processes (bench/synthetic-client.ts) say to each other. */

export interface ClientOptions {
  server: 'huddle' | 'janus';
  /** 'main' (default): audio and video on the main line; 'layers': one camera in simulcast layers (bench/layered-client.ts). */
  mode?: 'main' | 'layers';
  /** Huddle: the /signal WebSocket URL; Janus: its WebSocket API URL. */
  url: string;
  /** The local address to bind media to. */
  bindAddress: string;
  /** Huddle's access token (Janus runs without authentication here). */
  token: string;
  room: string;
  identity: string;
  index: number;
  /** Participants in the room: a Janus client subscribes once it knows the n - 1 others. */
  n: number;
  /** 'layers': each receiver switches each publisher's layer this often (ms). */
  switchPeriodMs?: number;
}

export interface ClientReport {
  sent: number;
  received: number;
  /** Lines receiving anything. */
  tracks: number;
}

/** Over IPC: 'report' (answered with a report), 'stop', or (simulcast mode) when switching starts. */
export type ClientCommand = 'report' | 'stop' | { switchAtMs: number };
