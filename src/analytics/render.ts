import { hours, pct } from './format.ts';
import { chartSection, esc, htmlTable } from './html.ts';
import type { LocalReport } from './local-report.ts';
import { medianInitTime } from './metrics.ts';
import { cycleTimesSection, funnelSection, rulesSection } from './sections.ts';
import { lineChart } from './svg.ts';

/** Rows shared by every text format, so text, markdown and html always say the same thing. */
function rows(r: LocalReport): [string, string][] {
  return [
    ['Sessions', String(r.now.sessions)],
    ['Compliance (sessions without errors)', pct(r.now.compliance)],
    ['Spec-to-code alignment (requirements built and tested)', pct(r.now.alignment)],
    ['Open [REQUIRES INPUT] markers', String(r.now.openMarkers)],
    [`Validation pass rate (${r.window.commits} commits)`, pct(r.history.passRate)],
    ['Feedback loop (median, task ticked → feedback)', hours(r.history.feedbackLoop.medianHours)],
    [
      'Init time (median, first commit → first clean validation)',
      hours(medianInitTime(r.history.initTimes.map((t) => t.hours))),
    ],
  ];
}

export function renderText(r: LocalReport): string {
  const width = Math.max(...rows(r).map(([k]) => k.length));
  const lines = rows(r).map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push('', 'Stage cycle times (median):');
  for (const c of r.history.stageCycleTimes)
    lines.push(
      `  ${c.stage} → ${c.next}`.padEnd(30) +
        `${hours(c.medianHours)} (${c.samples} session${c.samples === 1 ? '' : 's'})`,
    );
  lines.push('', 'Top failing rules:');
  for (const t of r.now.topRules) lines.push(`  ${t.code} ${t.rule}`.padEnd(40) + String(t.count));
  return `${lines.join('\n')}\n`;
}

export function renderMarkdown(r: LocalReport): string {
  const lines = [
    '# IDSE report',
    '',
    '| metric | value |',
    '| --- | --- |',
    ...rows(r).map(([k, v]) => `| ${k} | ${v} |`),
  ];
  lines.push(
    '',
    '## Stage cycle times',
    '',
    '| from | to | median | sessions |',
    '| --- | --- | --- | --- |',
  );
  for (const c of r.history.stageCycleTimes)
    lines.push(`| ${c.stage} | ${c.next} | ${hours(c.medianHours)} | ${c.samples} |`);
  lines.push('', '## Top failing rules', '', '| rule | findings |', '| --- | --- |');
  for (const t of r.now.topRules) lines.push(`| ${t.code} ${t.rule} | ${t.count} |`);
  return `${lines.join('\n')}\n`;
}

/** Whose report and when, for the HTML file's heading. */
export interface ReportHeading {
  /** The workspace's name (its folder). */
  workspace: string;
  generatedAt: Date;
}

/** One self-contained HTML file: inline styles, inline SVG charts, a table beside each chart. */
export function renderHtml(r: LocalReport, heading: ReportHeading): string {
  const title = `IDSE report: ${heading.workspace}`;
  const day = heading.generatedAt.toISOString().slice(0, 10);
  const head = r.head ? `, HEAD ${r.head.slice(0, 7)}` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}, ${day}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}.pair{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}figure{margin:0}.note{color:#59636e}</style>
</head><body>
<h1>${esc(title)}</h1>
<p class="note">Made ${esc(heading.generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC from ${r.window.commits} commits${esc(head)}.</p>
${htmlTable('Metrics', ['metric', 'value'], rows(r))}
${funnelSection(r.now.stageFunnel)}
${chartSection(
  'markers',
  'Open markers over time',
  lineChart(
    'Open [REQUIRES INPUT] markers',
    r.history.markersTrend.map((p) => ({ x: p.time, y: p.markers, label: p.oid.slice(0, 7) })),
  ),
  htmlTable(
    'Open markers after each commit',
    ['commit', 'markers'],
    r.history.markersTrend.map((p) => [p.oid.slice(0, 7), String(p.markers)]),
  ),
)}
${cycleTimesSection(r.history.stageCycleTimes)}
${rulesSection(r.now.topRules)}
</body></html>
`;
}
