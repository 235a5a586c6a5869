/** A small dependency-free SVG chart: CPU µs per forwarded packet and loss against N. */
import type { ForwardingResult } from './forwarding';

export function forwardingChart(results: ForwardingResult[], caption: string): string {
  const width = 640;
  const height = 320;
  const pad = 50;
  const maxN = Math.max(...results.map((r) => r.n), 2);
  const maxCpu = Math.max(...results.map((r) => (Number.isFinite(r.cpuMicrosPerPacket) ? r.cpuMicrosPerPacket : 0)), 1) * 1.2;
  const x = (n: number) => pad + ((width - 2 * pad) * n) / maxN;
  const yCpu = (v: number) => height - pad - ((height - 2 * pad) * v) / maxCpu;
  const yLoss = (v: number) => height - pad - (height - 2 * pad) * Math.min(1, v);
  const line = (points: [number, number][]) => points.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  // A saturated run can have no per-packet figure (the server's counters starve): leave it out.
  const cpuPath = line(results.filter((r) => Number.isFinite(r.cpuMicrosPerPacket)).map((r) => [x(r.n), yCpu(r.cpuMicrosPerPacket)]));
  const lossPath = line(results.map((r) => [x(r.n), yLoss(r.loss)]));
  const ticks = results.map((r) => `<text x="${x(r.n)}" y="${height - pad + 16}" text-anchor="middle">${r.n}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${pad}" y="18" font-size="13">Huddle forwarding: CPU per forwarded packet (µs, blue) and receiver loss (0–100 %, red) by participants N</text>
<text x="${pad}" y="34" fill="#555">${caption}</text>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#000"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#000"/>
<text x="${pad - 6}" y="${yCpu(maxCpu / 1.2)}" text-anchor="end">${(maxCpu / 1.2).toFixed(0)}</text>
${ticks}
<path d="${cpuPath}" fill="none" stroke="#1a5fd0" stroke-width="2"/>
<path d="${lossPath}" fill="none" stroke="#c0392b" stroke-width="2" stroke-dasharray="4 3"/>
</svg>
`;
}
