/**
 * Redraws the README chart from a saved forwarding run:
 *   npx tsx bench/chart.ts bench/results/forwarding-<date>.json [out.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ForwardingResult } from './forwarding-result';
import { forwardingChart } from './svg-chart';

const [file, out = 'bench/results/forwarding.svg'] = process.argv.slice(2);
const run = JSON.parse(readFileSync(file!, 'utf8')) as {
  date: string;
  machine: string;
  janusVersion: string | null;
  huddle: ForwardingResult[];
  janus: ForwardingResult[] | null;
};
writeFileSync(
  out,
  forwardingChart(
    run.huddle,
    run.janus ?? [],
    `${run.date.slice(0, 10)}, ${run.machine}${run.janusVersion ? `, Janus ${run.janusVersion}` : ''}`,
  ),
);
console.log(`chart: ${out}`);
