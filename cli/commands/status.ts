import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { PROFILES } from '../../src/config/schema.ts';
import type { SessionSummary } from '../../src/report/schema.ts';
import { loadReport } from '../../src/run/load.ts';
import { IdseCommand } from '../base.ts';
import { renderTable } from '../table.ts';

const ratio = (n: number, of: number) => (of === 0 ? '–' : `${n}/${of}`);

export function statusTable(sessions: readonly SessionSummary[]): string {
  const header = [
    'project/session',
    'stage',
    'status',
    'docs',
    'markers',
    'req→task',
    'req→test',
    'tasks done',
    'errors',
    'warnings',
  ];
  const rows = sessions.map((s) => [
    `${s.current ? '* ' : '  '}${s.project}/${s.session}`,
    // Nothing written yet: the session is at its first stage, whatever templates it holds; a session
    // with no pipeline docs at all (a blueprint holding only metadata) has no stage.
    s.stage ?? (s.docs.every((d) => d.kind === 'meta') ? '—' : 'intent'),
    s.status ?? '—',
    `${s.docs.length}${s.missing.length ? ` (-${s.missing.length})` : ''}`,
    String(s.markers),
    ratio(s.coverage.withTasks, s.coverage.requirements),
    ratio(s.coverage.withTests, s.coverage.requirements),
    ratio(s.coverage.tasksDone, s.coverage.tasks),
    String(s.errors),
    String(s.warnings),
  ]);
  return renderTable(header, rows);
}

export class StatusCommand extends IdseCommand {
  static override paths = [['status']];

  static override usage = Command.Usage({
    description: 'Show where each session stands: stage reached, docs, open markers, coverage and findings.',
    details:
      '`*` marks the project’s current session (CURRENT_SESSION). Stages are derived from the docs themselves.',
    examples: [
      ['Status of the workspace', '$0 status'],
      ['As JSON for scripts', '$0 status --json'],
    ],
  });

  json = Option.Boolean('--json', false, {
    description: 'Print JSON (the `sessions` part of the validate report)',
  });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });
  profile = Option.String('--profile', {
    description: `Rule profile the error and warning counts use: ${PROFILES.join(' or ')}`,
    validator: t.isEnum(PROFILES),
  });
  targets = Option.Rest({ name: 'paths' });

  async run(): Promise<number> {
    // A report of a run with paths lists only the sessions under them.
    const { report } = await loadReport({
      cwd: this.context.cwd,
      env: this.context.env,
      root: this.root,
      paths: this.targets,
      profile: this.profile,
    });
    const { sessions } = report;
    if (this.json) this.print(JSON.stringify({ schema: 'idse.status/v1', sessions }, null, 2));
    else if (sessions.length === 0)
      this.print('No IDSE sessions found. Run `idse init <project>` to start one.');
    else this.print(statusTable(sessions));
    return 0;
  }
}
