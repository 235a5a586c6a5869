/**
 * The media half of a synthetic bench participant, the same whichever server it talks to:
 * publishes VP8-shaped RTP (120 packets/s of 1100 bytes) and Opus-shaped RTP (50 packets/s of
 * 100 bytes) on two send lines, and counts RTP arriving on every receive line.
 */
import nodeDataChannel from 'node-datachannel';

const { Audio, Video, RtcpReceivingSession } = nodeDataChannel;
type PeerConnection = InstanceType<typeof nodeDataChannel.PeerConnection>;
type Track = ReturnType<PeerConnection['addTrack']>;

const VIDEO_PPS = 120;
const AUDIO_PPS = 50;
const TICK_MS = 10;

/** Bound to one local address (loopback for Huddle): the bench's traffic stays on this machine. */
export function newPeerConnection(name: string, bindAddress: string): PeerConnection {
  return new nodeDataChannel.PeerConnection(name, { iceServers: [], disableAutoNegotiation: true, bindAddress });
}

/** Adds the two send lines to `pc`, announcing their SSRCs, and starts sending once each is open. */
export function publish(pc: PeerConnection, identity: string, index: number): { sent: () => number; stop: () => void } {
  const ssrcBase = 0x10000 * (index + 1);
  const audio = new Audio('pa', 'SendOnly');
  audio.addOpusCodec(111);
  audio.addSSRC(ssrcBase + 1, identity, identity, 'audio');
  const video = new Video('pv', 'SendOnly');
  video.addVP8Codec(96);
  video.addSSRC(ssrcBase + 2, identity, identity, 'video');
  const audioTrack = pc.addTrack(audio);
  const videoTrack = pc.addTrack(video);

  // One buffer per kind, rewritten in place (the native send copies it). Each carries the header
  // extensions a browser sends (RFC 8285 one-byte form), so the server parses what it parses for
  // Chrome: a transport-wide sequence number (id 3) on both, the audio level (id 1) on audio.
  const videoPacket = Buffer.alloc(1100);
  const audioPacket = Buffer.alloc(100);
  videoPacket[0] = audioPacket[0] = 0x90; // version 2, extension
  videoPacket[1] = 96;
  audioPacket[1] = 111;
  videoPacket.writeUInt32BE(ssrcBase + 2, 8);
  audioPacket.writeUInt32BE(ssrcBase + 1, 8);
  videoPacket.writeUInt16BE(0xbede, 12);
  videoPacket.writeUInt16BE(1, 14); // one word: transport-wide sequence number, one byte of padding
  videoPacket[16] = (3 << 4) | 1;
  audioPacket.writeUInt16BE(0xbede, 12);
  audioPacket.writeUInt16BE(2, 14); // two words: audio level, transport-wide sequence number, padding
  audioPacket[16] = (1 << 4) | 0;
  audioPacket[17] = 0x80 | 40; // voice, -40 dBov
  audioPacket[18] = (3 << 4) | 1;
  let transportSeq = 0;
  videoPacket[20] = 0x10; // VP8 descriptor: start of partition 0
  videoPacket[21] = 0x00; // frame tag: a key frame, so every new subscriber can start at once
  let videoSeq = 0;
  let audioSeq = 0;
  let sent = 0;
  const started = performance.now();
  const send = (track: Track, packet: Buffer) => track.isOpen() && track.sendMessageBinary(packet) && sent++;
  // What is due follows the clock, not the number of ticks: a late tick sends what it owes, so
  // the offered load stays nominal unless the machine cannot even do that.
  const timer = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    for (; videoSeq < elapsed * VIDEO_PPS; videoSeq++) {
      videoPacket.writeUInt16BE(videoSeq & 0xffff, 2);
      videoPacket.writeUInt32BE((videoSeq * 750) >>> 0, 4);
      videoPacket.writeUInt16BE(transportSeq++ & 0xffff, 17);
      send(videoTrack, videoPacket);
    }
    for (; audioSeq < elapsed * AUDIO_PPS; audioSeq++) {
      audioPacket.writeUInt16BE(audioSeq & 0xffff, 2);
      audioPacket.writeUInt32BE((audioSeq * 960) >>> 0, 4);
      audioPacket.writeUInt16BE(transportSeq++ & 0xffff, 19);
      send(audioTrack, audioPacket);
    }
  }, TICK_MS);
  return { sent: () => sent, stop: () => clearInterval(timer) };
}

/** Counts RTP on every line the remote side adds to `pc`. */
export function receive(pc: PeerConnection): { received: () => number; liveLines: () => number } {
  const lines: { received: number }[] = [];
  // The Track objects must stay referenced: once V8 collects one, node-datachannel stops
  // calling its onMessage (reception silently stops).
  const tracks: Track[] = [];
  pc.onTrack((track) => {
    tracks.push(track);
    // Without an RTCP session, lines added by renegotiation deliver nothing (libdatachannel).
    track.setMediaHandler(new RtcpReceivingSession());
    const line = { received: 0 };
    lines.push(line);
    track.onMessage((packet) => {
      if (packet.length >= 12 && !(packet[1]! >= 192 && packet[1]! <= 223)) line.received++;
    });
  });
  return {
    received: () => lines.reduce((n, l) => n + l.received, 0),
    liveLines: () => lines.filter((l) => l.received > 0).length,
  };
}

/**
 * Sets the local description and calls `send(sdp)` once ICE gathering is complete (no trickle).
 * The gathering callback goes in first: with no ICE servers gathering can finish inside
 * setLocalDescription itself.
 */
export function describeWhenGathered(pc: PeerConnection, type: 'offer' | 'answer', send: (sdp: string) => void): void {
  let done = false;
  const once = () => {
    if (done || pc.gatheringState() !== 'complete') return;
    done = true;
    send(pc.localDescription()!.sdp);
  };
  pc.onGatheringStateChange(once);
  pc.setLocalDescription(type);
  once();
}
