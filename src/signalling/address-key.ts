/**
 * What counts as one address for per-address limits. An IPv6 host usually holds a whole /64 (and
 * can pick any address in it), so IPv6 addresses count by their /64; IPv4 addresses, including
 * IPv4-mapped IPv6 ones (`::ffff:192.0.2.1`), count alone.
 */
import { isIPv6 } from 'node:net';

export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  // '::' stands for as many zero groups as make eight.
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
