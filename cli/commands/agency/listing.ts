/**
 * `idse agency …`: what an agency admin reads and archives across clients, on the store the
 * environment names (see docs/agency.md). Projects and sessions are named as in the lists:
 * `owner/repo/project` and `owner/repo/project/session`.
 */
import { Option } from 'clipanion';
import { pct } from '../../../src/analytics/format.ts';
import { ratio } from '../../../src/analytics/metrics.ts';
import type { ViewCounts } from '../../../src/store/agency.ts';
import { IdseCommand } from '../../base.ts';
import { renderTable } from '../../table.ts';

export const CATEGORY = 'Agency admin';

/** Options every listing shares. */
export abstract class AgencyListCommand extends IdseCommand {
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

export const COUNT_HEAD = ['COMPLIANCE', 'MARKERS', 'RUNS', 'PASS RATE', 'LAST RUN'];
export const countCells = (c: ViewCounts) => [
  pct(ratio(c.compliant, c.validated)),
  String(c.open_markers),
  String(c.runs),
  pct(ratio(c.passed_runs, c.runs)),
  c.last_run_at?.slice(0, 10) ?? '–',
];
export const archivedCell = (at: string | null) => (at ? `archived ${at.slice(0, 10)}` : '');
