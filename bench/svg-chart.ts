/**
 * A small dependency-free SVG chart of a forwarding sweep: server CPU per delivered packet
 * (solid, left axis, logarithmic: the figures span two orders of magnitude) and receiver loss
 * (dashed, right axis) against N, Huddle and Janus.
 */
import type { ForwardingResult } from './forwarding-result';

const COLOURS = { Huddle: '#1a5fd0', Janus: '#e67e22' } as const;

export function forwardingChart(huddle: ForwardingResult[], janus: ForwardingResult[], caption: string): string {
  const width = 720;
  const height = 360;
  const left = 56;
  const right = 56;
  const top = 64;
  const bottom = 48;
  const all = [...huddle, ...janus];
  const maxN = Math.max(...all.map((r) => r.n), 2);
  const finite = all.map((r) => r.cpuMicrosPerPacket).filter((v) => Number.isFinite(v) && v > 0);
  const cpuTicks = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  const minCpu = [...cpuTicks].reverse().find((t) => t <= Math.min(...finite, 1000)) ?? 1;
  const maxCpu = cpuTicks.find((t) => t >= Math.max(...finite, 2)) ?? 5000;
  const x = (n: number) => left + ((width - left - right) * n) / maxN;
  const yCpu = (v: number) =>
    height - bottom - ((height - top - bottom) * Math.log(v / minCpu)) / Math.log(maxCpu / minCpu);
  const yLoss = (v: number) => height - bottom - (height - top - bottom) * Math.min(1, v);
  const path = (points: [number, number][]) =>
    points.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  const series = (name: keyof typeof COLOURS, results: ForwardingResult[]) => {
    if (results.length === 0) return '';
    // A run with no delivered packets has no per-packet figure: leave it out.
    const cpu = results
      .filter((r) => Number.isFinite(r.cpuMicrosPerPacket) && r.cpuMicrosPerPacket > 0)
      .map((r): [number, number] => [x(r.n), yCpu(r.cpuMicrosPerPacket)]);
    const loss = results.map((r): [number, number] => [x(r.n), yLoss(r.loss)]);
    const dots = cpu
      .map(([px, py]) => `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${COLOURS[name]}"/>`)
      .join('');
    return `<path d="${path(cpu)}" fill="none" stroke="${COLOURS[name]}" stroke-width="2"/>${dots}
<path d="${path(loss)}" fill="none" stroke="${COLOURS[name]}" stroke-width="1.5" stroke-dasharray="5 4"/>`;
  };
  const ns = [...new Set(all.map((r) => r.n))];
  const xTicks = ns
    .map((n) => `<text x="${x(n)}" y="${height - bottom + 16}" text-anchor="middle">${n}</text>`)
    .join('');
  const cpuGrid = cpuTicks
    .filter((t) => t >= minCpu && t <= maxCpu)
    .map(
      (t) =>
        `<text x="${left - 6}" y="${yCpu(t) + 4}" text-anchor="end">${t}</text><line x1="${left}" x2="${width - right}" y1="${yCpu(t)}" y2="${yCpu(t)}" stroke="#eee"/>`,
    )
    .join('');
  const lossTicks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<text x="${width - right + 6}" y="${yLoss(f) + 4}">${f * 100}%</text>`)
    .join('');
  const legend = (['Huddle', 'Janus'] as const)
    .filter((name) => (name === 'Huddle' ? huddle : janus).length > 0)
    .map(
      (name, i) =>
        `<g transform="translate(${left + i * 300},46)"><line x2="22" stroke="${COLOURS[name]}" stroke-width="2"/><text x="28" y="4">${name} µs CPU/packet</text><line x1="160" x2="182" stroke="${COLOURS[name]}" stroke-dasharray="5 4"/><text x="188" y="4">${name} loss</text></g>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${left}" y="18" font-size="13">Server CPU per delivered RTP packet (µs, log scale) and receiver loss, one all-to-all room of N participants</text>
<text x="${left}" y="33" fill="#555">${escapeXml(caption)}</text>
${legend}
${cpuGrid}${lossTicks}${xTicks}
<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#000"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#000"/>
<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">participants N</text>
${series('Huddle', huddle)}
${series('Janus', janus)}
</svg>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
