/**
 * The network bench's chart, dependency-free SVG: for each scenario and viewer, the frames per
 * second it saw (left) and the share of time its videos were frozen (right), Huddle beside the
 * direct call on the same link.
 */
import type { LabRun } from '../harness/lab';

const COLOURS = { huddle: '#1a5fd0', p2p: '#9aa5b1' } as const;

interface Row {
  label: string;
  huddle: { fps: number; frozen: number };
  p2p: { fps: number; frozen: number };
}

function byViewer(run: LabRun): Map<string, { fps: number; frozen: number }> {
  const groups = new Map<string, Array<{ fps: number; frozen: number }>>();
  for (const view of run.views) groups.set(view.viewer, [...(groups.get(view.viewer) ?? []), view]);
  const averaged = new Map<string, { fps: number; frozen: number }>();
  for (const [viewer, views] of groups) {
    averaged.set(viewer, {
      fps: views.reduce((n, v) => n + v.fps, 0) / views.length,
      frozen: views.reduce((n, v) => n + v.frozen, 0) / views.length,
    });
  }
  return averaged;
}

export function networkChart(
  results: Array<{ scenario: string; huddle: LabRun; p2p: LabRun }>,
  caption: string,
): string {
  const rows: Row[] = [];
  for (const result of results) {
    const huddle = byViewer(result.huddle);
    const p2p = byViewer(result.p2p);
    for (const [viewer, h] of huddle) {
      rows.push({ label: `${result.scenario}: ${viewer}`, huddle: h, p2p: p2p.get(viewer) ?? { fps: 0, frozen: 1 } });
    }
  }
  const rowHeight = 34;
  const top = 84;
  const labelWidth = 210;
  const barWidth = 230;
  const gap = 40;
  const width = labelWidth + 2 * barWidth + gap + 40;
  const height = top + rows.length * rowHeight + 30;
  const fpsX = (v: number) => labelWidth + (barWidth * Math.min(30, v)) / 30;
  const frozenX0 = labelWidth + barWidth + gap;
  const frozenX = (v: number) => frozenX0 + barWidth * Math.min(1, v);
  const bars = rows
    .map((row, i) => {
      const y = top + i * rowHeight;
      const bar = (x0: number, x1: number, dy: number, colour: string, text: string) =>
        `<rect x="${x0}" y="${y + dy}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="11" fill="${colour}"/><text x="${(x1 + 4).toFixed(1)}" y="${y + dy + 10}">${text}</text>`;
      return `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeXml(row.label)}</text>
${bar(labelWidth, fpsX(row.huddle.fps), 2, COLOURS.huddle, row.huddle.fps.toFixed(1))}
${bar(labelWidth, fpsX(row.p2p.fps), 15, COLOURS.p2p, row.p2p.fps.toFixed(1))}
${bar(frozenX0, frozenX(row.huddle.frozen), 2, COLOURS.huddle, `${(row.huddle.frozen * 100).toFixed(1)} %`)}
${bar(frozenX0, frozenX(row.p2p.frozen), 15, COLOURS.p2p, `${(row.p2p.frozen * 100).toFixed(1)} %`)}`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<title>Frames per second and frozen time per viewer on constrained links, Huddle beside a direct call</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="18" font-size="13">Video on constrained links: frames per second seen, and share of time frozen</text>
<text x="10" y="33" fill="#555">${escapeXml(caption)}</text>
<g transform="translate(10,44)"><rect width="12" height="10" fill="${COLOURS.huddle}"/><text x="18" y="9">Huddle</text><rect x="80" width="12" height="10" fill="${COLOURS.p2p}"/><text x="98" y="9">direct browser-to-browser call, same link</text></g>
<text x="${labelWidth}" y="${top - 6}" font-weight="bold">frames/s (0–30)</text>
<text x="${frozenX0}" y="${top - 6}" font-weight="bold">frozen (0–100 %)</text>
${bars}
</svg>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
