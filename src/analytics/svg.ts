import { esc } from './html.ts';

/**
 * Small server-side SVG charts: no script, no external assets, so a report or dashboard page is one
 * self-contained file that renders anywhere (and in a headless browser for tests). Each bar and point
 * carries its label and exact value as data attributes and a tooltip.
 */

export interface BarDatum {
  label: string;
  value: number;
}

export function barChart(title: string, data: readonly BarDatum[], width = 560): string {
  const row = 22;
  const labelWidth = 190;
  const height = 30 + data.length * row;
  const max = Math.max(1, ...data.map((d) => d.value));
  const bars = data
    .map((d, i) => {
      const y = 28 + i * row;
      const w = Math.round(((width - labelWidth - 60) * d.value) / max);
      return (
        `<text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${esc(d.label)}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${w}" height="${row - 6}" fill="#4c78a8" data-label="${esc(d.label)}" data-value="${d.value}"><title>${esc(d.label)}: ${d.value}</title></rect>` +
        `<text x="${labelWidth + w + 4}" y="${y + 13}">${d.value}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" font-family="sans-serif" font-size="12"><text x="0" y="16" font-weight="bold">${esc(title)}</text>${bars}</svg>`;
}

export interface Point {
  x: number;
  y: number;
  label?: string;
}

export interface LineOptions {
  width?: number;
  height?: number;
  /** Top of the y axis (e.g. 100 for percentages); default the largest value. */
  yMax?: number;
  /** Appended to the y-axis labels and tooltips, e.g. '%'. */
  unit?: string;
  /** The x axis's span with its end labels, when it is wider than the points (weeks without data). */
  xAxis?: { from: number; to: number; fromLabel: string; toLabel: string };
}

export function lineChart(title: string, points: readonly Point[], options: LineOptions = {}): string {
  const { width = 560, height = 200, unit = '' } = options;
  const pad = { left: 44, right: 10, top: 26, bottom: 24 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = options.xAxis
    ? [options.xAxis.from, options.xAxis.to]
    : [Math.min(...xs), Math.max(...xs)];
  const y1 = options.yMax ?? Math.max(1, ...ys);
  const sx = (x: number) =>
    pad.left + (x1 === x0 ? 0 : ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right));
  const sy = (y: number) => height - pad.bottom - (y / y1) * (height - pad.top - pad.bottom);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  const dots = points
    .map(
      (p) =>
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="#e45756" data-label="${esc(p.label ?? '')}" data-value="${p.y}"><title>${esc(p.label ?? '')} ${p.y}${esc(unit)}</title></circle>`,
    )
    .join('');
  const base = height - pad.bottom;
  const first = options.xAxis?.fromLabel ?? points[0]?.label;
  const last = options.xAxis?.toLabel ?? (points.length > 1 ? points.at(-1)?.label : undefined);
  const axis =
    `<line x1="${pad.left}" y1="${base}" x2="${width - pad.right}" y2="${base}" stroke="#999"/>` +
    `<text x="${pad.left - 6}" y="${sy(y1) + 4}" text-anchor="end">${y1}${esc(unit)}</text>` +
    `<text x="${pad.left - 6}" y="${base}" text-anchor="end">0</text>` +
    (first ? `<text x="${pad.left}" y="${height - 6}">${esc(first)}</text>` : '') +
    (last ? `<text x="${width - pad.right}" y="${height - 6}" text-anchor="end">${esc(last)}</text>` : '');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" font-family="sans-serif" font-size="12"><text x="0" y="16" font-weight="bold">${esc(title)}</text>${axis}${points.length ? `<path d="${path}" fill="none" stroke="#e45756" stroke-width="2"/>${dots}` : ''}</svg>`;
}
