/** What the bench reads from /proc about a process, and CPU pinning with taskset (util-linux). */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

/** utime + stime of the process, all its threads included, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * CPU seconds of each of the process's threads, summed by thread name without its numbers (e.g.
 * 'node', 'RTC worker', 'juice mux'; Janus's 'hloop 123…' one per handle).
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8')
        .trim()
        .replace(/[\s\d]+$/, '');
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName;
}

export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** Pins the process and every thread it has (and, by inheritance, will start) to `cpus`, e.g. "0" or "0,1". */
export function pinToCpus(pid: number, cpus: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)], { stdio: 'ignore' });
}

/**
 * Raises the scheduling priority of every thread of the process (threads it starts later inherit
 * it). Needs root or CAP_SYS_NICE; returns false when refused.
 */
export function prioritize(pid: number, nice: number): boolean {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`))
      execFileSync('renice', ['-n', String(nice), '-p', tid], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when this process may lower nice values (root, or CAP_SYS_NICE). */
export function mayRaisePriority(): boolean {
  const effective = /CapEff:\s+([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const CAP_SYS_NICE = 23n;
  return (
    process.getuid?.() === 0 || (effective !== undefined && ((BigInt(`0x${effective}`) >> CAP_SYS_NICE) & 1n) === 1n)
  );
}
