/**
 * Prints where a V8 CPU profile (node --cpu-prof) spent its samples: the top functions by self
 * time, with native code that V8 cannot see inside shown as '(program)' / '(garbage collector)'.
 * `--last S` keeps only the samples of the profile's last S seconds (the bench's measured window
 * ends a few seconds before the worker exits; the joins and the warm-up come before it).
 *   npx tsx bench/profile-summary.ts FILE.cpuprofile [top=25] [--last S]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
const lastAt = argv.indexOf('--last');
const lastSeconds = lastAt >= 0 ? Number(argv.splice(lastAt, 2)[1]) : Number.POSITIVE_INFINITY;
const [file, top = '25'] = argv;
const profile = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
const span = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
let at = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (span - at > lastSeconds * 1e6) return;
  const frame = byId.get(id)!.callFrame;
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
  self.set(name, (self.get(name) ?? 0) + delta);
  total += delta;
});
const working = [...self].filter(([name]) => !name.startsWith('(idle)'));
const busy = working.reduce((sum, [, time]) => sum + time, 0);
console.log(
  `${(total / 1e6).toFixed(1)} s sampled, ${((busy / total) * 100).toFixed(1)} % not idle; share of the busy time:`,
);
for (const [name, time] of working.sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((time / busy) * 100).toFixed(1).padStart(5)} %  ${name}`);
}
