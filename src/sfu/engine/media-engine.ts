/**
 * The media engine: the only module (src/sfu/engine) that calls node-datachannel (libdatachannel).
 * Several of its calls abort the whole process when made in the wrong state, so every call goes
 * through a guard in this folder, and the rest of the SFU only sees MediaPeer, ReceiveLine,
 * SendLine and DataLine.
 */
import nodeDataChannel from 'node-datachannel';
import type { Logger } from 'pino';
import { MediaPeer } from './media-peer.js';
import type { NativePeer } from './native.js';
import { PublishPeer } from './publish-peer.js';
import type { SendLoad } from './send-line.js';
import { assertUdpPortFree } from './udp-port.js';

const { PeerConnection } = nodeDataChannel;
const LOAD_CHECK_INTERVAL_MS = 1000;

export interface MediaEngineOptions {
  port: number;
  bindAddress: string | undefined;
  announcedAddress: string | undefined;
  /**
   * Sends a second above which they are handed off to libdatachannel's threads
   * (HUDDLE_SEND_HANDOFF_ABOVE); back inline below half. Measured (npm run bench): the hand-off
   * costs more CPU per packet in small rooms (thread hand-offs) and nearly doubles what one worker
   * can forward.
   */
  sendHandoffAbove: number;
  /**
   * How long a peer may take to connect once it was first offered something (HUDDLE_MEDIA_TIMEOUT_MS):
   * a participant whose media never comes up holds a seat and nothing else.
   */
  connectTimeoutMs: number;
  /** For diagnosing connections: libdatachannel's own log at this level in ours (HUDDLE_RTC_LOG_LEVEL). */
  nativeLogLevel?: 'Verbose' | 'Debug' | 'Info' | 'Warning' | 'Error' | undefined;
}

export class MediaEngine {
  private peers = 0;
  private readonly load: SendLoad = { sends: 0, handoff: false, lines: new Set() };
  private readonly loadTimer: NodeJS.Timeout;
  /** Holds the media port while the engine lives (see start). */
  private portHolder: { pc: NativePeer; channel: ReturnType<NativePeer['createDataChannel']> } | undefined;

  constructor(
    private readonly options: MediaEngineOptions,
    private readonly log: Logger,
  ) {
    if (options.nativeLogLevel) {
      nodeDataChannel.initLogger(options.nativeLogLevel, (level, message) => log.info({ native: level }, message));
    }
    this.loadTimer = setInterval(() => this.checkLoad(), LOAD_CHECK_INTERVAL_MS).unref();
  }

  private checkLoad(): void {
    const perSecond = (this.load.sends * 1000) / LOAD_CHECK_INTERVAL_MS;
    this.load.sends = 0;
    const above = this.options.sendHandoffAbove;
    const handoff = this.load.handoff ? perSecond >= above / 2 : perSecond > above;
    if (handoff === this.load.handoff) return;
    this.load.handoff = handoff;
    for (const line of this.load.lines) line.setHandoff(handoff);
    this.log.info(
      { sendsPerSecond: perSecond, lines: this.load.lines.size },
      handoff ? 'sends handed off to the media threads' : 'sends made inline again',
    );
  }

  /**
   * Takes the media port, or rejects (MediaPortInUseError) when another program holds it.
   * libdatachannel binds the shared port only when a first peer gathers, and lets it go when the
   * last one closes: an idle server would hold nothing, and a second one could start on its port.
   * A peer that never connects (one data channel, so it has something to negotiate) keeps it bound.
   */
  async start(): Promise<void> {
    if (this.portHolder) return;
    await assertUdpPortFree(this.options.port, this.options.bindAddress);
    const pc = new PeerConnection('port-holder', this.nativeConfig());
    const channel = pc.createDataChannel('port-holder');
    pc.setLocalDescription();
    this.portHolder = { pc, channel };
  }

  private nativeConfig() {
    return {
      iceServers: [],
      disableAutoNegotiation: true,
      enableIceUdpMux: true,
      portRangeBegin: this.options.port,
      portRangeEnd: this.options.port,
      ...(this.options.bindAddress ? { bindAddress: this.options.bindAddress } : {}),
    };
  }

  /** Lets the media port go (once every room has closed). */
  stop(): void {
    const holder = this.portHolder;
    this.portHolder = undefined;
    if (!holder) return;
    holder.channel.close();
    holder.pc.close();
  }

  /**
   * A participant's connection. With `data`, every offer carries an SCTP line, so either side can
   * open data lines whenever it likes (see MediaPeer). Without, the connection has data lines only
   * if the server opened one before the first offer (an SCTP line cannot be added later), and a
   * participant with nothing to send or receive has nothing to be offered.
   */
  createPeer(name: string, options: { data?: boolean } = {}): MediaPeer {
    const pc = new PeerConnection(name, this.nativeConfig());
    this.peers++;
    this.log.debug({ peer: name, peers: this.peers }, 'peer created');
    const peer = new MediaPeer(pc, {
      announcedAddress: this.options.announcedAddress,
      connectTimeoutMs: this.options.connectTimeoutMs,
      load: this.load,
      data: options.data ?? false,
    });
    peer.onStateChange((state) => {
      if (state === 'closed') this.peers--;
    });
    return peer;
  }

  /**
   * A connection on which a browser sends one video track in simulcast layers, answering its
   * offer (publish-peer.ts). Throws SimulcastOfferError, with no native peer made, on an offer
   * the SFU does not take, and an Error when libdatachannel refuses it.
   */
  createPublishPeer(name: string, offerSdp: string): PublishPeer {
    const pc = new PeerConnection(name, { ...this.nativeConfig(), disableAutoNegotiation: false });
    try {
      return new PublishPeer(pc, offerSdp, this.options.announcedAddress);
    } catch (error) {
      pc.close();
      throw error;
    }
  }

  /** Ends every native thread; call once, after every peer has closed. */
  shutdown(): void {
    this.stop();
    clearInterval(this.loadTimer);
    nodeDataChannel.cleanup();
  }
}
