/**
 * The dashboard's pages as HTML, from what the store answered: the agency's clients, a client's
 * projects, a project's sessions, a session's runs, each above the same summary and charts. Every
 * value from the database is escaped (htmlTable cells, esc for links).
 */
import { scopeNames, scopeTitle } from '../analytics/agency-render.ts';
import type { AgencyReport } from '../analytics/agency-report.ts';
import { pct } from '../analytics/format.ts';
import { type Cell, esc, htmlTable } from '../analytics/html.ts';
import { ratio } from '../analytics/metrics.ts';
import type { AgencyClient, AgencyProject, AgencySession, ViewCounts } from '../store/agency.ts';
import { chartSections, summaryTable } from './charts.ts';
import { type Crumb, page } from './layout.ts';

/**
 * How the page was asked for: archived shown or not, the history's first week, which page of the
 * list (from 1), who is signed in.
 */
export interface View {
  archived: boolean;
  since?: string;
  page: number;
  /** A session page's runs of one ref only. */
  ref?: string;
  user: string;
}

const ROOT = '/dashboard';
/** Rows of a list per page: a page stays small however many clients, projects or sessions there are. */
export const PAGE_ROWS = 100;

/**
 * The query string that keeps the view's choices on every link; a list's page and a session's ref
 * filter only where asked for.
 */
export function query(view: View, archived = view.archived, page?: number, ref?: string): string {
  const params = new URLSearchParams();
  if (archived) params.set('archived', '1');
  if (view.since) params.set('since', view.since);
  if (page && page > 1) params.set('page', String(page));
  if (ref) params.set('ref', ref);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The view's page of `rows`, its caption and the links to the pages around it. */
function paged<T>(
  rows: readonly T[],
  view: View,
  noun: string,
): { rows: readonly T[]; caption: string; nav: string } {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
  const page = Math.min(view.page, pages);
  const first = (page - 1) * PAGE_ROWS;
  const shown = rows.slice(first, first + PAGE_ROWS);
  if (pages === 1) return { rows: shown, caption: `${noun} (${rows.length})`, nav: '' };
  const to = (n: number, label: string, rel: string) =>
    `<a href="${esc(query(view, view.archived, n) || '?')}" rel="${rel}">${label}</a>`;
  const nav = [
    page > 1 ? to(page - 1, '← Previous', 'prev') : '',
    `<span>page ${page} of ${pages}</span>`,
    page < pages ? to(page + 1, 'Next →', 'next') : '',
  ].filter(Boolean);
  return {
    rows: shown,
    caption: `${noun} (${first + 1}–${first + shown.length} of ${rows.length})`,
    nav: `<nav class="pages" aria-label="${esc(noun)} pages">${nav.join(' ')}</nav>`,
  };
}

const link = (href: string, text: string): Cell => ({ html: `<a href="${esc(href)}">${esc(text)}</a>` });
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '–');

/** Cells every list shares: compliance, open markers, runs, pass rate, newest run. */
const countCells = (c: ViewCounts): Cell[] => [
  pct(ratio(c.compliant, c.validated)),
  String(c.open_markers),
  String(c.runs),
  pct(ratio(c.passed_runs, c.runs)),
  day(c.last_run_at),
];
const COUNT_HEADS = ['compliance', 'open markers', 'runs', 'pass rate', 'last run'];

function crumbs(r: AgencyReport, view: View): Crumb[] {
  const q = query(view);
  const { client_id, project_id } = r.scope;
  const { client, repository, project, session } = scopeNames(r.scope);
  const out: Crumb[] = [{ label: 'Agency', href: `${ROOT}${q}` }];
  if (client_id && client) out.push({ label: client, href: `${ROOT}/clients/${client_id}${q}` });
  if (project_id && repository) {
    const label = project ? `${repository} / ${project}` : repository;
    out.push({ label, href: `${ROOT}/projects/${project_id}${q}` });
  }
  if (session) out.push({ label: session });
  return out;
}

export function scopePage(r: AgencyReport, view: View, list: string): string {
  const archivedNote = r.scope.archived ? ' <span class="archived">(archived)</span>' : '';
  const toggle = r.scope.archived
    ? ''
    : `<p><a href="${esc(query(view, !view.archived) || '?')}">${view.archived ? 'Hide archived' : 'Show archived'}</a></p>`;
  return page({
    title: scopeTitle(r),
    crumbs: crumbs(r, view),
    user: view.user,
    body: `<h1>${esc(scopeTitle(r))}${archivedNote}</h1>
${toggle}
${summaryTable(r)}
${list}
${chartSections(r)}`,
  });
}

const archivedMark = (at: string | null) => (at ? ` (archived ${at.slice(0, 10)})` : '');

/** A scope's page listing what it holds: one row a child, paged, linked to the child's page. */
function listPage<T extends ViewCounts>(
  r: AgencyReport,
  view: View,
  list: { title: string; heads: readonly string[]; cells: (row: T, q: string) => Cell[] },
  rows: readonly T[],
): string {
  const q = query(view);
  const page = paged(rows, view, list.title);
  const table = htmlTable(
    page.caption,
    [...list.heads, ...COUNT_HEADS],
    page.rows.map((row) => [...list.cells(row, q), ...countCells(row)]),
  );
  return scopePage(r, view, `<h2>${list.title}</h2>${table}${page.nav}`);
}

const dash = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : String(n));

export const overviewPage = (clients: readonly AgencyClient[], r: AgencyReport, view: View): string =>
  listPage(
    r,
    view,
    {
      title: 'Clients',
      heads: ['client', 'repositories', 'projects', 'sessions'],
      cells: (c, q) => [
        link(`${ROOT}/clients/${c.client_id}${q}`, c.client),
        String(c.repositories),
        String(c.projects),
        String(c.sessions),
      ],
    },
    clients,
  );

export const clientPage = (projects: readonly AgencyProject[], r: AgencyReport, view: View): string =>
  listPage(
    r,
    view,
    {
      title: 'Projects',
      heads: ['project', 'repository', 'sessions'],
      cells: (p, q) => [
        link(`${ROOT}/projects/${p.project_id}${q}`, `${p.project}${archivedMark(p.archived_at)}`),
        p.repository,
        String(p.sessions),
      ],
    },
    projects,
  );

export const projectPage = (sessions: readonly AgencySession[], r: AgencyReport, view: View): string =>
  listPage(
    r,
    view,
    {
      title: 'Sessions',
      heads: ['session', 'stage', 'status', 'errors', 'warnings'],
      cells: (s, q) => [
        link(`${ROOT}/sessions/${s.session_id}${q}`, `${s.session}${archivedMark(s.archived_at)}`),
        s.stage ?? '–',
        s.status ?? '–',
        dash(s.errors),
        dash(s.warnings),
      ],
    },
    sessions,
  );

/**
 * The agency report as one HTML file (`idse agency report --format html`): the pages' summary and
 * charts, headed by what it covers and when it was made.
 */
export function reportFile(r: AgencyReport, generatedAt: Date): string {
  const title = `IDSE agency report: ${scopeTitle(r)}`;
  const day = generatedAt.toISOString().slice(0, 10);
  return page({
    title: `${title}, ${day}`,
    body: `<h1>${esc(title)}</h1>\n<p class="note">Made ${esc(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC from the agency store; history since ${esc(r.since)}.</p>\n${summaryTable(r)}\n${chartSections(r)}`,
  });
}

export function loginPage(message?: string): string {
  return page({
    title: 'Sign in',
    body: `<h1>IDSE Agency Core dashboard</h1>
<form class="login" method="post" action="${ROOT}/login">
${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
<label for="key">Admin API key</label>
<input id="key" name="key" type="password" autocomplete="off" required placeholder="idse_admin_…">
<p class="note">Create one with <code>idse agency keys create --admin</code>. The key is checked once;
the browser keeps a signed session for 8 hours.</p>
<button type="submit">Sign in</button>
</form>`,
  });
}

export function errorPage(status: number, code: string, message: string, user?: string): string {
  return page({
    title: `${status} ${code}`,
    crumbs: [{ label: 'Agency', href: ROOT }, { label: code }],
    ...(user ? { user } : {}),
    body: `<h1>${esc(message)}</h1><p class="note">${status} · <code>${esc(code)}</code></p>`,
  });
}
