/**
 * An address on this machine other than 127.0.0.1, for a server's media: Firefox never pairs its
 * candidates with a server whose only candidate is a loopback address (it gathers none on
 * loopback itself), so a test with Firefox binds the SFU here (HUDDLE_RTC_BIND) and leaves HTTP on
 * 127.0.0.1 (a secure context, where pages may open the camera). It is one end of a veth pair in
 * this machine's own network namespace: the kernel routes to it locally like any address of its
 * own, with no other host and no route off the machine.
 *
 * Needs root and `ip` (iproute2). Names carry this process's pid; `close()` removes the pair, and
 * so does the process's exit, and the next run removes pairs whose process is gone.
 */
import { execFileSync, spawnSync } from 'node:child_process';

const PREFIX = 'hff';
/** 10.234.x.y: apart from the network lab's 10.233.0.0/16. */
const SUBNET = '10.234';

export interface MediaAddress {
  address: string;
  close(): void;
}

/** Why such an address cannot be made here, or undefined when it can. */
export function mediaAddressUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a media address other than loopback needs root (ip link add … type veth)';
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).error) return "a media address needs 'ip' (iproute2)";
  return undefined;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Pairs left by runs that were killed before they cleaned up. */
function removeStale(): void {
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
  for (const match of links.matchAll(new RegExp(`^\\d+: (${PREFIX}(\\d+)(?:x\\d+)?a)[@:]`, 'gm'))) {
    if (!isAlive(Number(match[2]))) spawnSync('ip', ['link', 'del', match[1]!], { stdio: 'ignore' });
  }
}

let made = 0;

export function createMediaAddress(): MediaAddress {
  removeStale();
  // Interface names are at most 15 characters: 'hff' + pid (≤ 7 digits) + a count + 'a'/'b'.
  const index = made++;
  const name = `${PREFIX}${process.pid}${index > 0 ? `x${index}` : ''}`;
  const end = `${name}a`;
  const address = `${SUBNET}.${(process.pid >> 8) & 0xff}.${((process.pid & 0xff) + index) % 254 || 254}`;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    process.off('exit', close);
    // Deleting one end deletes the pair.
    spawnSync('ip', ['link', 'del', end], { stdio: 'ignore' });
  };
  process.on('exit', close);
  try {
    const run = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    run('link', 'add', end, 'type', 'veth', 'peer', 'name', `${name}b`);
    run('addr', 'add', `${address}/32`, 'dev', end);
    run('link', 'set', end, 'up');
    run('link', 'set', `${name}b`, 'up');
  } catch (error) {
    close();
    throw error;
  }
  return { address, close };
}
