/**
 * A client that keeps sending what it told the server it muted. The SDK stops sending a muted
 * track itself (replaceTrack(null)), so a page alone never shows whether the server forwards a
 * disabled track; these put a live copy of the track back on its RTCRtpSender behind the SDK's back.
 */
import type { Page } from 'playwright-core';

type Kind = 'audio' | 'video';

interface Held {
  peerConnections: RTCPeerConnection[];
  heldSenders: Partial<
    Record<Kind, { pc: RTCPeerConnection; transceiver: RTCRtpTransceiver; copy?: MediaStreamTrack }>
  >;
}

/** An init script: keeps every RTCPeerConnection the page makes in window.peerConnections. */
export function recordPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as Held).peerConnections = made;
  (window as unknown as Held).heldSenders = {};
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      made.push(this);
    }
  };
}

/**
 * Remembers the line that sends the camera (video) or microphone (audio), found by the track it
 * carries now: call it before muting, while the SDK still sends.
 */
export async function holdSender(page: Page, kind: Kind): Promise<void> {
  await page.evaluate((kind) => {
    const w = window as unknown as Held;
    const local = window.huddleRoom!.localParticipant;
    const publication = [...(kind === 'audio' ? local.audioTracks : local.videoTracks).values()].find(
      (p) => p.trackName !== 'screen',
    )!;
    const track = publication.track.mediaStreamTrack;
    for (const pc of w.peerConnections.filter((p) => p.connectionState !== 'closed')) {
      const transceiver = pc.getTransceivers().find((t) => t.sender.track === track);
      if (transceiver) {
        w.heldSenders[kind] = { pc, transceiver };
        return;
      }
    }
    throw new Error(`no RTCRtpSender carries the local ${kind} track`);
  }, kind);
}

/** Puts a live (enabled) copy of the muted track back on the held line: RTP flows again, the server was told 'disabled'. */
export async function sendAnyway(page: Page, kind: Kind): Promise<void> {
  await page.evaluate(async (kind) => {
    const held = (window as unknown as Held).heldSenders[kind]!;
    const local = window.huddleRoom!.localParticipant;
    const publication = [...(kind === 'audio' ? local.audioTracks : local.videoTracks).values()].find(
      (p) => p.trackName !== 'screen',
    )!;
    held.copy = publication.track.mediaStreamTrack.clone();
    held.copy.enabled = true;
    await held.transceiver.sender.replaceTrack(held.copy);
  }, kind);
}

/** Stops the copy sendAnyway made (the SDK puts its own track back on unmuting). */
export async function stopCopy(page: Page, kind: Kind): Promise<void> {
  await page.evaluate((kind) => (window as unknown as Held).heldSenders[kind]?.copy?.stop(), kind);
}

/** RTP packets sent so far on the held line (outbound-rtp stats of its media line). */
export function packetsSent(page: Page, kind: Kind): Promise<number> {
  return page.evaluate(async (kind) => {
    const held = (window as unknown as Held).heldSenders[kind]!;
    let sent = 0;
    (await held.pc.getStats()).forEach((s: RTCOutboundRtpStreamStats & { mid?: string }) => {
      if (s.type === 'outbound-rtp' && s.mid === held.transceiver.mid) sent += s.packetsSent ?? 0;
    });
    return sent;
  }, kind);
}
