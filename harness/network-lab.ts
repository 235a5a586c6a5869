/**
 * The network lab: hosts behind constrained links on this machine, to judge media on something
 * like the networks people call over. This kernel has no netem, but as root `ip netns` gives a
 * host its own network stack, a veth pair joins it to this machine, and `tc tbf` on each end is a
 * bottleneck with a queue and tail drop, which is what congestion is: the host end's egress is the
 * host's downlink, the namespace end's its uplink. Random loss comes from nftables' `numgen`
 * where packets arrive (iptables' `statistic` where nft is missing); added delay only from a tbf
 * queue filling up, bounded by its `latency`.
 *
 * Everything is made by this process with names carrying its pid, and removed by `close()` (and
 * by the next run, for namespaces whose process is gone). Needs root, `ip` and `tc`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './browser';

const PREFIX = 'huddle-lab-';
/** The lab's addresses: host i is 10.233.i.2, its side of this machine 10.233.i.1. */
const SUBNET = '10.233';

export interface LinkShape {
  /** The bottleneck rate, kbit/s. */
  kbit: number;
  /** How long a packet may wait in the bottleneck's queue before it is dropped (ms). */
  queueMs?: number;
}

export interface LabHostOptions {
  /** What this host can send (its uplink). */
  up?: LinkShape;
  /** What it can receive (its downlink). */
  down?: LinkShape;
  /** Random loss, in percent, of UDP each way. */
  loss?: { up?: number; down?: number };
}

/** Why the lab cannot run here, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the network lab needs root (ip netns, tc)';
  for (const tool of ['ip', 'tc']) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) return `the network lab needs '${tool}' (iproute2)`;
  }
  return undefined;
}

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
const inNamespace = (ns: string, command: string, args: string[]) => run('ip', ['netns', 'exec', ns, command, ...args]);

function tbf(shape: LinkShape): string[] {
  // A burst of at least a few packets, or tbf cannot reach its rate at the kernel's timer granularity.
  const burst = Math.max(6000, Math.round((shape.kbit * 1000) / 8 / 50));
  return ['root', 'tbf', 'rate', `${shape.kbit}kbit`, 'burst', String(burst), 'latency', `${shape.queueMs ?? 150}ms`];
}

/** Namespaces left by lab processes that are gone (a run killed before it cleaned up). */
function removeStale(): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const name of list.split('\n').map((l) => l.split(' ')[0]!)) {
    const match = new RegExp(`^${PREFIX}(\\d+)-\\d+$`).exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  }
}

let nextIndex = 1;

/** One host behind its own link. */
export class LabHost {
  readonly namespace: string;
  /** The host's address, as others see it. */
  readonly address: string;
  /** This machine's address as the host sees it: where it reaches Huddle. */
  readonly gateway: string;
  /** A Chromium executable that runs inside the host (give it to playwright as executablePath). */
  readonly chromium: string;
  private readonly hostEnd: string;
  private readonly nsEnd: string;
  private readonly dir: string;
  private closed = false;

  private constructor(index: number) {
    this.namespace = `${PREFIX}${process.pid}-${index}`;
    const short = `hl${process.pid % 100000}${index}`;
    this.hostEnd = `${short}h`;
    this.nsEnd = `${short}n`;
    this.address = `${SUBNET}.${index}.2`;
    this.gateway = `${SUBNET}.${index}.1`;
    this.dir = mkdtempSync(join(tmpdir(), 'huddle-lab-'));
    this.chromium = join(this.dir, 'chromium');
  }

  static create(options: LabHostOptions = {}): LabHost {
    if (nextIndex === 1) removeStale();
    const host = new LabHost(nextIndex++);
    try {
      host.setUp();
      host.shape(options);
    } catch (error) {
      host.close();
      throw error;
    }
    return host;
  }

  private setUp(): void {
    const { namespace: ns, hostEnd, nsEnd } = this;
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd]);
    run('ip', ['link', 'set', nsEnd, 'netns', ns]);
    run('ip', ['addr', 'add', `${this.gateway}/30`, 'dev', hostEnd]);
    run('ip', ['link', 'set', hostEnd, 'up']);
    inNamespace(ns, 'ip', ['addr', 'add', `${this.address}/30`, 'dev', nsEnd]);
    inNamespace(ns, 'ip', ['link', 'set', nsEnd, 'up']);
    inNamespace(ns, 'ip', ['link', 'set', 'lo', 'up']);
    inNamespace(ns, 'ip', ['route', 'add', 'default', 'via', this.gateway]);
    writeFileSync(this.chromium, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`);
    chmodSync(this.chromium, 0o755);
  }

  /** Sets (or clears, when absent) the link's rates and loss. */
  shape(options: LabHostOptions): void {
    const { namespace: ns } = this;
    spawnSync('tc', ['qdisc', 'del', 'dev', this.hostEnd, 'root'], { stdio: 'ignore' });
    spawnSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', this.nsEnd, 'root'], { stdio: 'ignore' });
    if (options.down) run('tc', ['qdisc', 'replace', 'dev', this.hostEnd, ...tbf(options.down)]);
    if (options.up) inNamespace(ns, 'tc', ['qdisc', 'replace', 'dev', this.nsEnd, ...tbf(options.up)]);
    this.setLoss(options.loss?.up ?? 0, options.loss?.down ?? 0);
  }

  /** This host's loss table in this machine's own network stack (the uplink's drops). */
  private get hostTable(): string {
    return `huddle_lab_${this.namespace.replace(/[^a-z0-9]/gi, '_')}`;
  }

  /**
   * Drops a share of the UDP packets each way where they arrive, never where they leave: a
   * packet netfilter drops on its sender's own output hook fails its sendto() with EPERM, and
   * Chromium then simply sends it again (measured: 15 % dropped so became ~3 % lost, seen from
   * the retransmission counts). On arrival, as on a real lossy link, no sender knows.
   */
  private setLoss(upPercent: number, downPercent: number): void {
    const { namespace: ns, hostTable } = this;
    spawnSync('ip', ['netns', 'exec', ns, 'nft', 'delete', 'table', 'inet', 'huddle_lab'], { stdio: 'ignore' });
    spawnSync('nft', ['delete', 'table', 'inet', hostTable], { stdio: 'ignore' });
    if (upPercent <= 0 && downPercent <= 0) return;
    const per1000 = (p: number) => Math.round(p * 10);
    const rule = (percent: number) => `meta l4proto udp numgen random mod 1000 < ${per1000(percent)} drop`;
    const down = `table inet huddle_lab {
  chain arrival { type filter hook prerouting priority 0; ${rule(downPercent)}; }
}
`;
    const up = `table inet ${hostTable} {
  chain arrival { type filter hook prerouting priority 0; iifname "${this.hostEnd}" ${rule(upPercent)}; }
}
`;
    const inNs = spawnSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: down, encoding: 'utf8' });
    const onHost = spawnSync('nft', ['-f', '-'], { input: up, encoding: 'utf8' });
    if (!inNs.error && inNs.status === 0 && !onHost.error && onHost.status === 0) return;
    // No nftables: iptables' statistic match does the same, in the raw table where packets arrive.
    const statistic = (percent: number) => [
      '-m',
      'statistic',
      '--mode',
      'random',
      '--probability',
      String(percent / 100),
      '-j',
      'DROP',
    ];
    if (downPercent > 0)
      inNamespace(ns, 'iptables', ['-t', 'raw', '-A', 'PREROUTING', '-p', 'udp', ...statistic(downPercent)]);
    if (upPercent > 0)
      run('iptables', ['-t', 'raw', '-A', 'PREROUTING', '-i', this.hostEnd, '-p', 'udp', ...statistic(upPercent)]);
  }

  /** Ends every process left in the host, removes it (and with it both veth ends) and its files. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const pids = (spawnSync('ip', ['netns', 'pids', this.namespace], { encoding: 'utf8' }).stdout ?? '')
      .split('\n')
      .filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    spawnSync('ip', ['netns', 'del', this.namespace], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', this.hostEnd], { stdio: 'ignore' });
    spawnSync('nft', ['delete', 'table', 'inet', this.hostTable], { stdio: 'ignore' });
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
