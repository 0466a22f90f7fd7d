/**
 * HTML pieces shared by the report files and the dashboard: escaping, accessible tables, and a chart
 * with its data table beside it (the table is the chart's text alternative and its exact numbers).
 */

/** Text or attribute value → HTML. Everything that comes from docs or the database goes through it. */
export const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A cell: text, or markup already escaped by the caller (links). */
export type Cell = string | { html: string };

const cell = (c: Cell) => (typeof c === 'string' ? esc(c) : c.html);

/** A data table: a caption names it, header cells are column headers. */
export function htmlTable(
  caption: string,
  head: readonly string[],
  body: readonly (readonly Cell[])[],
): string {
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head
    .map((h) => `<th scope="col">${esc(h)}</th>`)
    .join('')}</tr></thead><tbody>${body
    .map((row) => `<tr>${row.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/**
 * A titled section: the chart (SVG) and, beside it, the table of the same numbers in a region that can
 * scroll and takes keyboard focus (long tables, such as a year by week).
 */
export function chartSection(id: string, title: string, chart: string, table: string): string {
  return `<section class="chart" id="${esc(id)}" aria-labelledby="${esc(id)}-title"><h2 id="${esc(id)}-title">${esc(title)}</h2><div class="pair"><figure>${chart}</figure><div class="data" tabindex="0" role="region" aria-label="${esc(title)}: table">${table}</div></div></section>`;
}
