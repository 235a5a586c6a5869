/**
 * At most so many TCP connections from one address (HTTP keep-alive, signalling sockets and slow
 * requests alike): one machine must not be able to take every file descriptor. Behind a reverse
 * proxy every connection comes from the proxy, so the cap is left to it there.
 */
import type { Server } from 'node:net';
import { addressKey } from '../../signalling/address-key.js';

export function capConnectionsPerAddress(server: Server, max: number, onRefused: (address: string) => void): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = addressKey(socket.remoteAddress ?? '');
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      onRefused(address);
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
