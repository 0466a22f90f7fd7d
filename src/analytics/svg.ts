import { esc } from './html.ts';

/**
 * Small server-side SVG charts: no script, no external assets, so a report or dashboard page is one
 * self-contained file that renders anywhere (and in a headless browser for tests). Each bar and point
 * carries its label and exact value as data attributes and a tooltip. A chart with nothing to draw
 * says so in words instead of drawing zeros.
 */

/**
 * Width of one character of the charts' 12px sans-serif, on the generous side (capitals and digits
 * run wider than the average): label columns are sized from it, so a label is never cut at the edge.
 */
const CHAR_WIDTH = 7.2;
/** The widest a label column grows; longer labels wrap to a second line, then end in "…". */
const MAX_LABEL_WIDTH = 260;

/** A chart's title, and instead of the chart, why there is none (e.g. "No data yet"). */
export function emptyChart(title: string, message: string, width = 420): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(`${title}: ${message}`)}" width="${width}" height="56" font-family="sans-serif" font-size="12"><text x="0" y="16" font-weight="bold">${esc(title)}</text><text x="0" y="42" fill="#59636e" data-empty="true">${esc(message)}</text></svg>`;
}

/**
 * A label in lines of at most `maxChars`: broken after spaces or hyphens, two lines at most, the
 * rest cut with "…" (the caller keeps the whole label in a tooltip).
 */
export function fitLabel(label: string, maxChars: number): string[] {
  const lines: string[] = [];
  let rest = label;
  while (rest.length > maxChars && lines.length < 1) {
    // After a space (dropped, so it may sit just past the limit) or a hyphen (kept, so it may not).
    const breakAt = Math.max(
      rest.slice(0, maxChars + 1).lastIndexOf(' '),
      rest.slice(0, maxChars).lastIndexOf('-') + 1,
    );
    const cut = breakAt > 0 ? breakAt : maxChars;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest.length > maxChars ? `${rest.slice(0, maxChars - 1)}…` : rest);
  return lines;
}

export interface BarDatum {
  label: string;
  value: number;
}

export interface BarOptions {
  /** Said instead of the chart when there are no bars. */
  empty?: string;
  /** Length of the longest bar. */
  barWidth?: number;
}

export function barChart(title: string, data: readonly BarDatum[], options: BarOptions = {}): string {
  if (data.length === 0) return emptyChart(title, options.empty ?? 'No data yet');
  const maxChars = Math.floor(MAX_LABEL_WIDTH / CHAR_WIDTH);
  const labels = data.map((d) => fitLabel(d.label, maxChars));
  const longest = Math.max(...labels.flat().map((line) => line.length));
  const labelWidth = Math.ceil(longest * CHAR_WIDTH) + 12;
  const barWidth = options.barWidth ?? 300;
  const width = Math.max(labelWidth + barWidth + 60, Math.ceil(title.length * CHAR_WIDTH));
  const row = labels.some((l) => l.length > 1) ? 34 : 22;
  const height = 30 + data.length * row;
  const max = Math.max(1, ...data.map((d) => d.value));
  const bars = data
    .map((d, i) => {
      const y = 28 + i * row;
      const w = Math.round((barWidth * d.value) / max);
      const lines = labels[i]!;
      const text = lines
        .map((line, n) => `<tspan x="${labelWidth - 6}" dy="${n === 0 ? 0 : 14}">${esc(line)}</tspan>`)
        .join('');
      return (
        `<g><title>${esc(d.label)}: ${d.value}</title>` +
        `<text y="${y + 13}" text-anchor="end" data-label="${esc(d.label)}">${text}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${w}" height="${Math.min(row, 22) - 6}" fill="#4c78a8" data-label="${esc(d.label)}" data-value="${d.value}"></rect>` +
        `<text x="${labelWidth + w + 4}" y="${y + 13}">${d.value}</text></g>`
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
  /** Said instead of the chart when there are no points. */
  empty?: string;
}

export function lineChart(title: string, points: readonly Point[], options: LineOptions = {}): string {
  const { width = 560, height = 200, unit = '' } = options;
  if (points.length === 0) return emptyChart(title, options.empty ?? 'No data yet', width);
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
    (first ? `<text x="${pad.left}" y="${height - 6}" data-axis="from">${esc(first)}</text>` : '') +
    (last
      ? `<text x="${width - pad.right}" y="${height - 6}" text-anchor="end" data-axis="to">${esc(last)}</text>`
      : '');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" font-family="sans-serif" font-size="12"><text x="0" y="16" font-weight="bold">${esc(title)}</text>${axis}<path d="${path}" fill="none" stroke="#e45756" stroke-width="2"/>${dots}</svg>`;
}
