/**
 * Is the media port free? libdatachannel opens it with address reuse, so a second Huddle on the
 * same port would bind it too and the kernel would hand each server part of the other's media;
 * and a port held by a program without reuse makes its gathering abort the process natively.
 * A bind without reuse fails on both, so one is tried (and let go) before the engine takes it.
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

export class MediaPortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `media port ${port} (UDP) is in use by another program (another Huddle?): stop it, or set HUDDLE_RTC_PORT to a free port`,
    );
  }
}

export async function assertUdpPortFree(port: number, bindAddress: string | undefined): Promise<void> {
  // Port 0 lets the system pick a free one; nothing to check.
  if (port === 0) return;
  const socket = createSocket({ type: bindAddress && isIPv6(bindAddress) ? 'udp6' : 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new MediaPortInUseError(port) : error),
    );
    socket.bind(port, bindAddress, () => resolve());
  }).finally(() => {
    try {
      socket.close();
    } catch {
      // never bound
    }
  });
}
