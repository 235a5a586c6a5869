import { networkInterfaces } from 'node:os';

/** This machine's IPv4 addresses on the local network (what a phone on the same Wi-Fi can reach). */
export function lanAddresses(): string[] {
  const addresses: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) addresses.push(entry.address);
  }
  return addresses;
}
