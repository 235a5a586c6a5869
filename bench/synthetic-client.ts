/**
 * One synthetic participant for the forwarding bench, in its own process: joins a room through
 * Huddle's signalling, answers the server's offers with node-datachannel, publishes VP8-shaped
 * RTP (120 packets/s of 1100 bytes) and Opus-shaped RTP (50 packets/s of 100 bytes), and counts
 * what it sends and what it receives from everyone else (the runner derives loss from both).
 * Driven by bench/forwarding.ts over IPC: 'report' → counters, 'stop' → exit.
 */
import nodeDataChannel from 'node-datachannel';
import WebSocket from 'ws';

const { PeerConnection, Audio, Video, RtcpReceivingSession } = nodeDataChannel;

export interface ClientOptions {
  url: string;
  token: string;
  room: string;
  identity: string;
  index: number;
}

export interface ClientReport {
  sent: number;
  received: number;
  /** Lines receiving anything. */
  tracks: number;
}

const VIDEO_PPS = 120;
const AUDIO_PPS = 50;
const TICK_MS = 10;

const options = JSON.parse(process.env.HUDDLE_BENCH_CLIENT ?? '{}') as ClientOptions;
const ssrcBase = 0x10000 * (options.index + 1);

const ws = new WebSocket(options.url);
// Loopback only: the bench's traffic stays on this machine, as the server's does in the bench.
const pc = new PeerConnection(options.identity, { iceServers: [], disableAutoNegotiation: true, bindAddress: '127.0.0.1' });
const audio = new Audio('pa', 'SendOnly');
audio.addOpusCodec(111);
audio.addSSRC(ssrcBase + 1, options.identity, options.identity, 'audio');
const video = new Video('pv', 'SendOnly');
video.addVP8Codec(96);
video.addSSRC(ssrcBase + 2, options.identity, options.identity, 'video');
const audioTrack = pc.addTrack(audio);
const videoTrack = pc.addTrack(video);

// Receiving: one counter per incoming line. The Track objects must stay referenced: once V8
// collects one, node-datachannel stops calling its onMessage (reception silently stops).
const lines: { received: number }[] = [];
const receivingTracks: unknown[] = [];
pc.onTrack((track) => {
  receivingTracks.push(track);
  // Without an RTCP session, lines added by renegotiation deliver nothing (libdatachannel).
  track.setMediaHandler(new RtcpReceivingSession());
  const line = { received: 0 };
  lines.push(line);
  track.onMessage((packet) => {
    if (packet.length >= 12 && !(packet[1]! >= 192 && packet[1]! <= 223)) line.received++;
  });
});

function answerWhenGathered(): void {
  const send = () => ws.send(JSON.stringify({ type: 'answer', sdp: pc.localDescription()!.sdp }));
  if (pc.gatheringState() === 'complete') return send();
  pc.onGatheringStateChange((state) => state === 'complete' && send());
}

ws.on('message', (data) => {
  const message = JSON.parse(String(data)) as { type: string; sdp?: string };
  if (message.type !== 'offer') return;
  pc.setRemoteDescription(message.sdp!, 'offer');
  pc.onGatheringStateChange(() => undefined);
  pc.setLocalDescription('answer');
  answerWhenGathered();
});
ws.on('open', () =>
  ws.send(JSON.stringify({ type: 'join', token: options.token, room: options.room, publish: { audio: true, video: true }, sdk: 'huddle-bench' })),
);

// Sending: one buffer per kind, rewritten in place (the native send copies it).
const videoPacket = Buffer.alloc(1100);
const audioPacket = Buffer.alloc(100);
videoPacket[0] = audioPacket[0] = 0x80;
videoPacket[1] = 96;
audioPacket[1] = 111;
videoPacket.writeUInt32BE(ssrcBase + 2, 8);
audioPacket.writeUInt32BE(ssrcBase + 1, 8);
videoPacket[12] = 0x10; // VP8 descriptor: start of partition 0
videoPacket[13] = 0x00; // frame tag: a key frame, so every new subscriber can start at once
let videoSeq = 0;
let audioSeq = 0;
let videoDue = 0;
let audioDue = 0;
let sent = 0;
setInterval(() => {
  videoDue += (VIDEO_PPS * TICK_MS) / 1000;
  audioDue += (AUDIO_PPS * TICK_MS) / 1000;
  for (; videoDue >= 1; videoDue--) {
    if (!videoTrack.isOpen()) continue;
    videoPacket.writeUInt16BE(videoSeq++ & 0xffff, 2);
    videoPacket.writeUInt32BE((videoSeq * 750) >>> 0, 4);
    if (videoTrack.sendMessageBinary(videoPacket)) sent++;
  }
  for (; audioDue >= 1; audioDue--) {
    if (!audioTrack.isOpen()) continue;
    audioPacket.writeUInt16BE(audioSeq++ & 0xffff, 2);
    audioPacket.writeUInt32BE((audioSeq * 960) >>> 0, 4);
    if (audioTrack.sendMessageBinary(audioPacket)) sent++;
  }
}, TICK_MS);

process.on('message', (message: 'report' | 'stop') => {
  if (message === 'report') {
    const report: ClientReport = {
      sent,
      received: lines.reduce((n, l) => n + l.received, 0),
      tracks: lines.filter((l) => l.received > 0).length,
    };
    process.send!(report);
  } else {
    ws.close();
    pc.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
