/**
 * One synthetic participant for the forwarding bench, in its own process: joins one room on
 * Huddle (its signalling, one PeerConnection the server offers) or on Janus (VideoRoom over the
 * Janus WebSocket API: a publisher PeerConnection we offer, and one subscriber PeerConnection
 * Janus offers carrying every other publisher's feed), publishes the same synthetic RTP either
 * way and counts what it sends and receives (the runner derives loss from both).
 * Driven by bench/forwarding.ts over IPC: 'report' → ClientReport, 'stop' → exit.
 */
import WebSocket from 'ws';
import { JanusSession } from './janus-session';
import { joinHuddleLayered, joinJanusLayered } from './layered-client';
import type { ClientCommand, ClientOptions, ClientReport } from './synthetic-client-options';
import { describeWhenGathered, newPeerConnection, publish, receive } from './synthetic-media';

interface Participant {
  sent(): number;
  received(): number;
  liveLines(): number;
  close(): void;
}

/** The server's close code for MEDIA_FAILED: its side of this participant's connection failed. */
const MEDIA_FAILED_CLOSE = 4500;
const MAX_REJOINS = 3;

function joinHuddle(options: ClientOptions, onMediaFailed: () => void): Participant {
  const ws = new WebSocket(options.url);
  const pc = newPeerConnection(options.identity, options.bindAddress);
  const sender = publish(pc, options.identity, options.index);
  const receiver = receive(pc);
  // What went wrong, on stderr, when a participant never gets going (the bench and tests show it).
  pc.onStateChange(
    (state) =>
      (state === 'failed' || state === 'disconnected') && console.error(`${options.identity}: connection ${state}`),
  );
  ws.on('close', (code, reason) => {
    if (code !== 1000 && code !== 1005)
      console.error(`${options.identity}: signalling closed ${code} ${String(reason)}`);
    if (code === MEDIA_FAILED_CLOSE) onMediaFailed();
  });
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; sdp?: string; code?: string; message?: string };
    if (message.type === 'error')
      console.error(`${options.identity}: server error ${message.code}: ${message.message}`);
    if (message.type !== 'offer') return;
    pc.setRemoteDescription(message.sdp!, 'offer');
    describeWhenGathered(pc, 'answer', (sdp) => ws.send(JSON.stringify({ type: 'answer', sdp })));
  });
  ws.on('open', () =>
    ws.send(
      JSON.stringify({
        type: 'join',
        token: options.token,
        room: options.room,
        publish: { audio: true, video: true },
        sdk: 'huddle-bench',
      }),
    ),
  );
  return {
    sent: sender.sent,
    received: receiver.received,
    liveLines: receiver.liveLines,
    close: () => {
      sender.stop();
      ws.close();
      pc.close();
    },
  };
}

/**
 * Joins again, with a new connection, when the server ends this one with MEDIA_FAILED, as the
 * browser SDK does (its reconnection). A connection can fail while it is set up: the server's
 * libdatachannel can run the whole DTLS handshake while it is still applying the answer, before
 * it has stored the fingerprint to check the certificate against ("DTLS alert: unknown CA",
 * then "Got a remote candidate without ICE transport"); seen in 3 of 40 three-person joins on a
 * fresh server here, with either DTLS role.
 */
function joinHuddleRetrying(options: ClientOptions): Participant {
  const earlier = { sent: 0, received: 0 };
  let rejoins = 0;
  const rejoin = () => {
    if (++rejoins > MAX_REJOINS) return;
    earlier.sent += current.sent();
    earlier.received += current.received();
    current.close();
    console.error(`${options.identity}: joining again`);
    current = joinHuddle(options, rejoin);
  };
  let current = joinHuddle(options, rejoin);
  return {
    sent: () => earlier.sent + current.sent(),
    received: () => earlier.received + current.received(),
    liveLines: () => current.liveLines(),
    close: () => current.close(),
  };
}

function joinJanus(options: ClientOptions): Participant {
  const janus = new JanusSession(options.url);
  const publisherPc = newPeerConnection(`${options.identity}-pub`, options.bindAddress);
  const sender = publish(publisherPc, options.identity, options.index);
  const subscriberPc = newPeerConnection(`${options.identity}-sub`, options.bindAddress);
  const receiver = receive(subscriberPc);
  const room = Number(options.room);
  const gathered = (pc: typeof publisherPc, type: 'offer' | 'answer') =>
    new Promise<string>((resolve) => describeWhenGathered(pc, type, resolve));

  const run = async () => {
    await janus.create();
    const publisherHandle = await janus.attach();
    await janus.message(publisherHandle, { request: 'join', ptype: 'publisher', room, display: options.identity });
    const offer = await gathered(publisherPc, 'offer');
    const published = await janus.message(
      publisherHandle,
      { request: 'publish', audio: true, video: true },
      { type: 'offer', sdp: offer, trickle: false },
    );
    publisherPc.setRemoteDescription(published.jsep!.sdp, 'answer');

    // One subscription to everyone, once everyone publishes: the steady state the bench measures.
    await janus.feedsAtLeast(options.n - 1);
    const subscriberHandle = await janus.attach();
    const attached = await janus.message(subscriberHandle, {
      request: 'join',
      ptype: 'subscriber',
      room,
      streams: [...janus.feeds.keys()].map((feed) => ({ feed })),
    });
    subscriberPc.setRemoteDescription(attached.jsep!.sdp, 'offer');
    const answer = await gathered(subscriberPc, 'answer');
    await janus.message(subscriberHandle, { request: 'start' }, { type: 'answer', sdp: answer, trickle: false });
  };
  // A failed join stays in the process and counts as loss (the runner names who sent nothing).
  run().catch((error: Error) => console.error(`${options.identity}: Janus join failed: ${error.message}`));
  return {
    sent: sender.sent,
    received: receiver.received,
    liveLines: receiver.liveLines,
    close: () => {
      sender.stop();
      janus.close();
      publisherPc.close();
      subscriberPc.close();
    },
  };
}

const options = JSON.parse(process.env.HUDDLE_BENCH_CLIENT ?? '{}') as ClientOptions;
if (options.mode === 'layers') {
  const participant = options.server === 'janus' ? joinJanusLayered(options) : joinHuddleLayered(options);
  process.on('message', (message: ClientCommand) => {
    if (message === 'report') {
      process.send!(participant.report());
    } else if (message === 'stop') {
      participant.close();
      process.exit(0);
    } else participant.startSwitching(message.switchAtMs);
  });
} else {
  const participant = options.server === 'janus' ? joinJanus(options) : joinHuddleRetrying(options);
  process.on('message', (message: ClientCommand) => {
    if (message === 'report') {
      const report: ClientReport = {
        sent: participant.sent(),
        received: participant.received(),
        tracks: participant.liveLines(),
      };
      process.send!(report);
    } else if (message === 'stop') {
      participant.close();
      process.exit(0);
    }
  });
}
process.on('disconnect', () => process.exit(0));
