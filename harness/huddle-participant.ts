/**
 * A Huddle participant without a browser: Huddle's signalling (docs/protocol.md) over a
 * WebSocket, node-datachannel for the media. It joins with one camera which it sends the way
 * Huddle's SDK sends a camera big enough for layers: in simulcast, on a connection of its own that
 * it offers (`publishOffer`, a LayeredPublisher), the camera's line on the main connection idle.
 * It receives whatever the server offers it; its caller counts and judges what arrives.
 *
 *   const participant = new HuddleParticipant({ signalUrl, token, room, identity });
 *   await participant.joined;
 *   participant.publisher.send({ layer, keyframe, data });   // frames of the caller's source
 */
import nodeDataChannel from 'node-datachannel';
import WebSocket from 'ws';
import type { ClientMessage, JoinedMessage, MidMapping, ServerMessage } from '../src/protocol/messages';
import { PROTOCOL_VERSION } from '../src/protocol/version';
import { describeWhenGathered, LayeredPublisher } from './layered-publisher';

type PeerConnection = InstanceType<typeof nodeDataChannel.PeerConnection>;
export type Track = ReturnType<PeerConnection['addTrack']>;

/** The server's line for the first camera a participant joins with (docs/protocol.md, `offer`). */
const CAMERA_MID = 'pv';

export interface HuddleParticipantOptions {
  /** The /signal WebSocket URL. */
  signalUrl: string;
  token: string;
  room: string;
  identity: string;
  /** The local address media uses (e.g. loopback); all of them when absent. */
  bindAddress?: string;
  /** The camera's layers, low to high (default: q, h, f, as Huddle's SDK sends a capture of 960×540 or more). */
  rids?: readonly string[];
  /** false: the server sends this participant no one's tracks. Default true. */
  subscribe?: boolean;
  /**
   * Each line the server adds to receive a remote track (it is kept referenced here). Set it here
   * rather than later: the first lines come with the first offer.
   */
  onTrack?: (track: Track) => void;
}

export class HuddleParticipant {
  /** The main connection, which the server offers. */
  readonly pc: PeerConnection;
  /** The camera, sent in layers once the server has answered its publishOffer. */
  readonly publisher: LayeredPublisher;
  /** The server's answer to `join`. */
  readonly joined: Promise<JoinedMessage>;
  /** What each receiving line carries now, by mid (from the latest offer). */
  readonly lines = new Map<string, MidMapping>();
  /** Everyone else in the room: identity by participant SID. */
  readonly identities = new Map<string, string>();
  private readonly ws: WebSocket;
  /** The camera's line: idle, and with no media handler, so RTCP written on it goes out as it is. */
  private readonly cameraLine: Track;
  /** Referenced for as long as the participant lives: a collected Track stops its callbacks. */
  private readonly tracks: Track[] = [];
  private readonly listeners: Array<(message: ServerMessage) => void> = [];
  private offeredLayers = false;
  private firstMid: string | undefined;
  private closed = false;

  constructor(options: HuddleParticipantOptions) {
    const bind = options.bindAddress ? { bindAddress: options.bindAddress } : {};
    this.pc = new nodeDataChannel.PeerConnection(options.identity, {
      iceServers: [],
      disableAutoNegotiation: true,
      ...bind,
    });
    const camera = new nodeDataChannel.Video(CAMERA_MID, 'SendOnly');
    camera.addVP8Codec(96);
    this.cameraLine = this.pc.addTrack(camera);
    this.pc.onTrack((track) => {
      this.tracks.push(track);
      // Without an RTCP session, lines added by renegotiation deliver nothing (libdatachannel).
      track.setMediaHandler(new nodeDataChannel.RtcpReceivingSession());
      options.onTrack?.(track);
    });
    this.publisher = new LayeredPublisher({
      name: `${options.identity}-layers`,
      ...bind,
      ...(options.rids ? { rids: options.rids } : {}),
    });
    this.ws = new WebSocket(options.signalUrl);
    this.joined = new Promise((resolve, reject) => {
      this.onMessage((message) => {
        if (message.type === 'joined') resolve(message);
        if (message.type === 'error' && message.ref === 'join') reject(new Error(`join refused: ${message.message}`));
      });
      this.ws.once('close', (code, reason) => reject(new Error(`signalling closed ${code} ${String(reason)}`)));
    });
    this.joined.catch(() => {}); // the caller may not wait for it
    this.ws.on('message', (data) => this.receive(JSON.parse(String(data)) as ServerMessage));
    this.ws.on('open', () =>
      this.send({
        type: 'join',
        token: options.token,
        room: options.room,
        publish: { audio: false, video: true },
        tracks: [{ kind: 'video', name: 'camera' }],
        ...(options.subscribe === false ? { subscribe: false } : {}),
        sdk: 'huddle-synthetic',
        protocol: PROTOCOL_VERSION,
      }),
    );
  }

  send(message: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Every message from the server, after this participant has acted on it. */
  onMessage(listener: (message: ServerMessage) => void): void {
    this.listeners.push(listener);
  }

  /** Sends RTCP (e.g. receiver reports on the lines it receives) to the server; false before the connection is up. */
  sendRtcp(packet: Buffer): boolean {
    if (!this.cameraLine.isOpen()) return false;
    try {
      return this.cameraLine.sendMessageBinary(packet);
    } catch {
      return false;
    }
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case 'joined':
        for (const participant of message.participants) this.identities.set(participant.sid, participant.identity);
        break;
      case 'participantConnected':
      case 'participantReconnected':
        this.identities.set(message.participant.sid, message.participant.identity);
        break;
      case 'offer':
        void this.answer(message.sdp, message.mids, message.publish);
        break;
      case 'candidates':
        for (const candidate of message.candidates) this.pc.addRemoteCandidate(candidate, this.firstMid ?? '0');
        break;
      case 'publishAnswer':
        if (message.mid === CAMERA_MID) this.publisher.accept(message.sdp);
        break;
      case 'layersActive':
        if (message.mid === CAMERA_MID) this.publisher.setActive(message.active);
        break;
    }
    for (const listener of this.listeners) listener(message);
  }

  private async answer(sdp: string, mids: MidMapping[], publish: { mid: string }[]): Promise<void> {
    this.firstMid ??= /^a=mid:(\S+)/m.exec(sdp)?.[1];
    this.lines.clear();
    for (const line of mids) this.lines.set(line.mid, line);
    if (this.closed) return;
    this.pc.setRemoteDescription(sdp, 'offer');
    this.send({ type: 'answer', sdp: await describeWhenGathered(this.pc, 'answer') });
    // The camera goes in layers once its line exists, as Huddle's SDK does.
    if (!this.offeredLayers && publish.some((line) => line.mid === CAMERA_MID)) {
      this.offeredLayers = true;
      this.send({ type: 'publishOffer', mid: CAMERA_MID, sdp: await this.publisher.offer() });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.send({ type: 'leave' });
    this.ws.close();
    this.publisher.close();
    try {
      this.pc.close();
    } catch {
      // already closed natively
    }
  }
}
