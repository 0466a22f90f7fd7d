/**
 * The agency report as text and markdown (`idse agency report`); the HTML form is the dashboard's page
 * (src/dashboard). Every form starts from the same summary rows.
 */
import type { AgencyReport } from './agency-report.ts';
import { hours, pct } from './format.ts';

/**
 * The names of a scope from the client down, each said once: a repository under its client's own
 * account is named without the owner (`acme / docs`), and a synced workspace's repository, which is
 * named after its project (`acme/shortlinks`, project `shortlinks`), is not followed by that project.
 */
export function scopeNames(scope: AgencyReport['scope']): {
  client?: string;
  repository?: string;
  project?: string;
  session?: string;
} {
  const { client, repository, project, session } = scope;
  const owned = client && repository?.toLowerCase().startsWith(`${client.toLowerCase()}/`);
  const repo = owned ? repository!.slice(client!.length + 1) : repository;
  return {
    ...(client ? { client } : {}),
    ...(repo ? { repository: repo } : {}),
    ...(project && project !== repo ? { project } : {}),
    ...(session ? { session } : {}),
  };
}

/** What the report is about, for headings: "All clients", "acme", "acme / docs / payments"… */
export function scopeTitle(r: AgencyReport): string {
  const names = scopeNames(r.scope);
  if (!names.client) return 'All clients';
  return [names.client, names.repository, names.project, names.session].filter(Boolean).join(' / ');
}

/** The headline numbers, in every format. */
export function summaryRows(r: AgencyReport): [string, string][] {
  return [
    ['Sessions', String(r.now.sessions)],
    ['Compliance (sessions without errors)', pct(r.now.compliance)],
    ['Spec-to-code alignment (requirements built and tested)', pct(r.now.alignment)],
    ['Open [REQUIRES INPUT] markers', String(r.now.openMarkers)],
    [`Validation pass rate (runs since ${r.since})`, pct(r.history.passRate)],
    ['Init time (median, first run → first passing run)', hours(r.history.initTime.medianHours)],
  ];
}

export function renderAgencyText(r: AgencyReport): string {
  const rows = summaryRows(r);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    `IDSE agency report: ${scopeTitle(r)}`,
    '',
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
  ];
  lines.push('', 'Stage funnel (sessions that reached each stage):');
  for (const f of r.now.stageFunnel) lines.push(`  ${f.stage.padEnd(16)}${f.sessions}`);
  lines.push('', 'Stage cycle times (median):');
  for (const c of r.history.stageCycleTimes)
    lines.push(
      `  ${`${c.stage} → ${c.next}`.padEnd(28)}${hours(c.medianHours)} (${c.samples} session${c.samples === 1 ? '' : 's'})`,
    );
  lines.push('', 'Top failing rules:');
  if (r.now.topRules.length === 0) lines.push('  none');
  for (const t of r.now.topRules) lines.push(`  ${`${t.code} ${t.rule}`.padEnd(40)}${t.count}`);
  return `${lines.join('\n')}\n`;
}

export function renderAgencyMarkdown(r: AgencyReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    `# IDSE agency report: ${cell(scopeTitle(r))}`,
    '',
    '| metric | value |',
    '| --- | --- |',
    ...summaryRows(r).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '## Stage funnel',
    '',
    '| stage | sessions |',
    '| --- | --- |',
    ...r.now.stageFunnel.map((f) => `| ${f.stage} | ${f.sessions} |`),
    '',
    '## Stage cycle times',
    '',
    '| from | to | median | sessions |',
    '| --- | --- | --- | --- |',
    ...r.history.stageCycleTimes.map(
      (c) => `| ${c.stage} | ${c.next} | ${hours(c.medianHours)} | ${c.samples} |`,
    ),
    '',
    '## Top failing rules',
    '',
    '| rule | findings |',
    '| --- | --- |',
    ...r.now.topRules.map((t) => `| ${t.code} ${t.rule} | ${t.count} |`),
    '',
    '## By week',
    '',
    '| week | pass rate | open markers |',
    '| --- | --- | --- |',
    ...r.history.weeks.map((w) => `| ${w.week} | ${pct(w.passRate)} | ${w.openMarkers} |`),
  ];
  return `${lines.join('\n')}\n`;
}
