const GATHERING_TIMEOUT_MS = 3000;

/**
 * Huddle does not trickle: the answer carries every candidate, so it waits for gathering, but
 * not forever (a STUN or TURN server that never answers would hold the answer back).
 */
export function iceGatheringComplete(pc: RTCPeerConnection, timeoutMs = GATHERING_TIMEOUT_MS): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    }
    function check() {
      if (pc.iceGatheringState === 'complete') done();
    }
    pc.addEventListener('icegatheringstatechange', check);
  });
}
