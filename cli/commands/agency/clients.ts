/**
 * `idse agency …`: what an agency admin reads and archives across clients, on the store the
 * environment names (see docs/agency.md). Projects and sessions are named as in the lists:
 * `owner/repo/project` and `owner/repo/project/session`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import {
  archiveTarget,
  clientFilter,
  parseTarget,
  resolveScope,
} from '../../../src/analytics/agency-lookup.ts';
import { renderAgencyMarkdown, renderAgencyText } from '../../../src/analytics/agency-render.ts';
import { buildAgencyReport } from '../../../src/analytics/agency-report.ts';
import { pct } from '../../../src/analytics/format.ts';
import { ratio } from '../../../src/analytics/metrics.ts';
import { reportFile } from '../../../src/dashboard/pages.ts';
import { IdseError } from '../../../src/errors.ts';
import type { ViewCounts } from '../../../src/store/agency.ts';
import { IdseCommand } from '../../base.ts';
import { withStore } from '../../store.ts';
import { renderTable } from '../../table.ts';

const CATEGORY = 'Agency admin';
const FORMATS = ['text', 'json', 'markdown', 'html'] as const;

/** Options every listing shares. */
abstract class AgencyListCommand extends IdseCommand {
  all = Option.Boolean('-a,--all,--archived', false, {
    description: 'Show archived projects and sessions too',
  });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  /** The rows as JSON, as a table, or `none` when there are none. */
  protected list<T>(rows: readonly T[], head: string[], cells: (row: T) => string[], none: string): void {
    if (this.json) this.print(JSON.stringify(rows));
    else if (rows.length === 0) this.print(none);
    else this.print(renderTable(head, rows.map(cells)));
  }
}

const COUNT_HEAD = ['COMPLIANCE', 'MARKERS', 'RUNS', 'PASS RATE', 'LAST RUN'];
const countCells = (c: ViewCounts) => [
  pct(ratio(c.compliant, c.validated)),
  String(c.open_markers),
  String(c.runs),
  pct(ratio(c.passed_runs, c.runs)),
  c.last_run_at?.slice(0, 10) ?? '–',
];
const archivedCell = (at: string | null) => (at ? `archived ${at.slice(0, 10)}` : '');

export class AgencyClientsCommand extends AgencyListCommand {
  static override paths = [['agency', 'clients']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'List the clients with their sessions, compliance, open markers and pass rate.',
    examples: [
      ['Every client', '$0 agency clients'],
      ['As JSON', '$0 agency clients --json'],
    ],
  });

  async run(): Promise<number> {
    const clients = await withStore(this.context, (store) => store.agencyClients({ withArchived: this.all }));
    this.list(
      clients,
      ['CLIENT', 'ID', 'REPOS', 'PROJECTS', 'SESSIONS', ...COUNT_HEAD],
      (c) => [
        c.client,
        c.client_id,
        String(c.repositories),
        String(c.projects),
        String(c.sessions),
        ...countCells(c),
      ],
      'No clients yet: install the GitHub App or add one with `idse agency clients add`.',
    );
    return 0;
  }
}

export class AgencyProjectsCommand extends AgencyListCommand {
  static override paths = [['agency', 'projects']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'List projects (of one client, or all) with their counts; archived ones with --all.',
    examples: [
      ['Projects of one client', '$0 agency projects --client acme'],
      ['Including archived ones', '$0 agency projects --all'],
    ],
  });

  client = Option.String('--client', { description: 'Client name or id' });

  async run(): Promise<number> {
    const projects = await withStore(this.context, async (store) =>
      store.agencyProjects({ ...(await clientFilter(store, this.client)), withArchived: this.all }),
    );
    this.list(
      projects,
      ['ID', 'CLIENT', 'PROJECT', 'SESSIONS', ...COUNT_HEAD, 'ARCHIVED'],
      (p) => [
        String(p.project_id),
        p.client,
        `${p.repository}/${p.project}`,
        String(p.sessions),
        ...countCells(p),
        archivedCell(p.archived_at),
      ],
      'No projects.',
    );
    return 0;
  }
}

export class AgencySessionsCommand extends AgencyListCommand {
  static override paths = [['agency', 'sessions']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'List sessions (of one project, or all) with their latest state; archived ones with --all.',
    examples: [
      ['Sessions of a project', '$0 agency sessions --project acme/docs/payments'],
      ['Every session of a client', '$0 agency sessions --client acme'],
    ],
  });

  client = Option.String('--client', { description: 'Client name or id' });
  project = Option.String('--project', { description: 'owner/repo/project, or a project id' });

  async run(): Promise<number> {
    const sessions = await withStore(this.context, async (store) =>
      store.agencySessions({
        ...(await resolveScope(store, { client: this.client, project: this.project })),
        withArchived: this.all,
      }),
    );
    this.list(
      sessions,
      ['ID', 'SESSION', 'STAGE', 'ERRORS', ...COUNT_HEAD, 'ARCHIVED'],
      (s) => [
        String(s.session_id),
        `${s.repository}/${s.project}/${s.session}`,
        s.stage ?? '–',
        s.errors === null ? '–' : String(s.errors),
        ...countCells(s),
        archivedCell(s.archived_at),
      ],
      'No sessions.',
    );
    return 0;
  }
}

export class AgencyArchiveCommand extends IdseCommand {
  static override paths = [['agency', 'archive']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description:
      'Archive a project or a session: it leaves the lists, reports and dashboard, and keeps its history.',
    details:
      'Name a project as `owner/repo/project` and a session as `owner/repo/project/session`, as the lists print them. `--all` shows archived items again; `idse agency unarchive` brings one back.',
    examples: [
      ['Archive a project', '$0 agency archive acme/docs/payments'],
      ['Archive one session', '$0 agency archive acme/docs/payments/kickoff'],
    ],
  });

  target = Option.String({ name: 'project-or-session' });
  client = Option.String('--client', {
    description: 'Client name or id, when two clients have the repository',
  });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  protected readonly archived: boolean = true;

  async run(): Promise<number> {
    const target = parseTarget(this.target);
    const result = await withStore(this.context, (store) =>
      archiveTarget(store, target, { client: this.client, archived: this.archived }),
    );
    if (this.json) this.print(JSON.stringify(result));
    else
      this.print(
        result.archived_at
          ? `Archived ${result.kind} ${this.target} (since ${result.archived_at.slice(0, 10)}).`
          : `${result.kind === 'project' ? 'Project' : 'Session'} ${this.target} is back in the default views.`,
      );
    return 0;
  }
}

export class AgencyUnarchiveCommand extends AgencyArchiveCommand {
  static override paths = [['agency', 'unarchive']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'Bring an archived project or session back into the default views.',
    examples: [['Bring a project back', '$0 agency unarchive acme/docs/payments']],
  });

  protected override readonly archived: boolean = false;
}

export class AgencyReportCommand extends IdseCommand {
  static override paths = [['agency', 'report']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description:
      'Report the success metrics across clients (or of one client, project or session) from the store.',
    details:
      'Compliance, spec-to-code alignment, open markers, the stage funnel and top failing rules as they are now; validation pass rate and open markers by week, stage cycle times and init time over the history (default: the last 52 weeks). The same numbers as the App’s /dashboard; `--format html` writes its charts as one file.',
    examples: [
      ['Every client', '$0 agency report'],
      ['One client as markdown', '$0 agency report --client acme --format markdown'],
      ['HTML with charts', '$0 agency report --format html -o agency.html'],
    ],
  });

  client = Option.String('--client', { description: 'Client name or id' });
  project = Option.String('--project', { description: 'owner/repo/project, or a project id' });
  session = Option.String('--session', { description: 'owner/repo/project/session' });
  since = Option.String('--since', { description: 'First day of the history (YYYY-MM-DD)' });
  all = Option.Boolean('-a,--all,--archived', false, {
    description: 'Count archived projects and sessions too',
  });
  format = Option.String('-f,--format', 'text', {
    validator: t.isEnum(FORMATS),
    description: `One of ${FORMATS.join(', ')}`,
  });
  json = Option.Boolean('--json', false, { description: 'Same as --format json' });
  output = Option.String('-o,--output', { description: 'Write to this file instead of stdout' });

  async run(): Promise<number> {
    if (this.since && !/^\d{4}-\d{2}-\d{2}$/.test(this.since))
      throw new IdseError('usage', `--since '${this.since}' is not a date (YYYY-MM-DD)`);
    const metrics = await withStore(this.context, async (store) =>
      store.agencyMetrics({
        ...(await resolveScope(store, this)),
        ...(this.since ? { since: this.since } : {}),
        withArchived: this.all,
      }),
    );
    if (!metrics) throw new IdseError('usage', 'no such client, project or session');
    const report = buildAgencyReport(metrics);
    const format = this.json ? 'json' : this.format;
    const text =
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === 'markdown'
          ? renderAgencyMarkdown(report)
          : format === 'html'
            ? reportFile(report, this.context.now())
            : renderAgencyText(report);
    if (this.output) writeFileSync(resolve(this.context.cwd, this.output), text);
    else this.context.stdout.write(text);
    return 0;
  }
}
