/**
 * A session's page: its state on every ref (the default branch's is the session's; the others are
 * branches, shown as such), its newest runs (of every ref, or one), then the summary and charts of
 * the default branch. Every value from the database is escaped.
 */
import type { AgencyReport } from '../analytics/agency-report.ts';
import { type Cell, esc, htmlTable } from '../analytics/html.ts';
import type { AgencyBranch, AgencyRun } from '../store/agency.ts';
import type { SessionDocs } from './docs.ts';
import { query, scopePage, type View } from './pages.ts';

export interface SessionData {
  runs: readonly AgencyRun[];
  branches: readonly AgencyBranch[];
  /** The docs on the page's ref, when the dashboard shows docs. */
  docs?: SessionDocs;
}

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);
const refLink = (view: View, ref: string, text = ref): Cell => ({
  html: `<a href="${esc(query(view, view.archived, undefined, ref))}">${esc(text)}</a>`,
});

function branchesSection(branches: readonly AgencyBranch[], view: View): string {
  const onDefault = branches.some((b) => b.default);
  const note = onDefault
    ? '<p class="note">The session’s state is its state on the default branch; other refs are branches and pull requests, shown here only.</p>'
    : branches.length
      ? '<p class="note">Not on the default branch yet: the refs below are work in progress, not the session’s state.</p>'
      : '<p class="note">Not validated yet.</p>';
  const table = htmlTable(
    `State on each ref (${branches.length})`,
    ['ref', 'branch', 'stage', 'status', 'errors', 'warnings', 'open markers', 'runs', 'commit', 'committed'],
    branches.map((b) => [
      refLink(view, b.ref),
      b.default ? { html: '<strong>default</strong>' } : 'branch',
      b.stage ?? '–',
      b.status ?? '–',
      { html: b.errors ? `<span class="fail">${b.errors}</span>` : '0' },
      String(b.warnings),
      b.markers === null ? '–' : String(b.markers),
      String(b.runs),
      b.commit_sha.slice(0, 7),
      when(b.committed_at),
    ]),
  );
  return `<h2>Branches</h2>${note}${table}`;
}

function runsSection(runs: readonly AgencyRun[], branches: readonly AgencyBranch[], view: View): string {
  const filters = [
    view.ref ? `<a href="${esc(query(view) || '?')}">every ref</a>` : '<strong>every ref</strong>',
    ...branches.map((b) =>
      b.ref === view.ref
        ? `<strong>${esc(b.ref)}</strong>`
        : `<a href="${esc(query(view, view.archived, undefined, b.ref))}">${esc(b.ref)}</a>`,
    ),
  ];
  const table = htmlTable(
    `Newest runs${view.ref ? ` on ${view.ref}` : ''} (${runs.length})`,
    ['committed', 'ref', 'commit', 'stage', 'result', 'errors', 'warnings', 'open markers', 'findings'],
    runs.map((run) => [
      when(run.committed_at),
      run.ref,
      run.commit_sha.slice(0, 7),
      run.stage ?? '–',
      { html: run.passed ? '<span class="pass">passed</span>' : '<span class="fail">failed</span>' },
      String(run.errors),
      String(run.warnings),
      run.markers === null ? '–' : String(run.markers),
      Object.entries(run.rules)
        .map(([code, n]) => `${code} ×${n}`)
        .join(', ') || '–',
    ]),
  );
  return `<h2>Runs</h2><nav class="pages" aria-label="Runs by ref">Show: ${filters.join(' · ')}</nav>${table}`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function docsSection(shown: SessionDocs): string {
  const where = shown.ref
    ? `As committed in ${shown.commit ? `<code>${esc(shown.commit.slice(0, 7))}</code>` : 'the newest commit'} on <code>${esc(shown.ref)}</code>${shown.source === 'sync' ? ', as the client’s workspace synced it (not on GitHub)' : ''}.`
    : 'No docs on the default branch yet: pick a branch above to see its docs.';
  const docs = shown.docs.map((d) => {
    const counts =
      d.errors || d.warnings ? ` · ${plural(d.errors, 'error')}, ${plural(d.warnings, 'warning')}` : '';
    const open = d.url ? ` · <a href="${esc(d.url)}">open on GitHub</a>` : '';
    const body =
      'html' in d.body
        ? `<div class="doc">${d.body.html}</div>`
        : `<p class="note">Not shown: ${esc(d.body.skipped)}.</p>`;
    return `<details class="doc-entry"${d.errors ? ' open' : ''}><summary><strong>${esc(d.kind ?? 'doc')}</strong> <code>${esc(d.path)}</code>${counts}${open}</summary>${body}</details>`;
  });
  return `<section id="docs"><h2>Docs</h2><p class="note">${where}</p>${docs.join('\n')}</section>`;
}

export function sessionPage(data: SessionData, r: AgencyReport, view: View): string {
  const docs = data.docs ? `\n${docsSection(data.docs)}` : '';
  return scopePage(
    r,
    view,
    `${branchesSection(data.branches, view)}${docs}\n${runsSection(data.runs, data.branches, view)}`,
  );
}
