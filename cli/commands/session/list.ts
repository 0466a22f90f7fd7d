import { Command, Option } from 'clipanion';
import { buildReport } from '../../../src/report/build.ts';
import { readRecord } from '../../../src/sessions/record.ts';
import { VERSION } from '../../../src/version.ts';
import { renderTable } from '../../table.ts';
import { fields, SessionCommand } from './base.ts';

export class SessionListCommand extends SessionCommand {
  static override paths = [['session', 'list'], ['sessions']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'List sessions with their type, status, owner, stage and parent.',
    details:
      '`*` marks each project’s current session. Filters combine; `idse sessions` is the upstream name.',
    examples: [
      ['Every session', '$0 session list'],
      [
        'Open feature sessions of Alice, as JSON',
        '$0 session list --type feature --status in_progress --owner alice --json',
      ],
    ],
  });

  type = Option.String('--type', {
    description: 'Only sessions of this type (feature, exploratory, blueprint)',
  });
  status = Option.String('--status', { description: 'Only sessions with this status' });
  tag = Option.String('--tag', { description: 'Only sessions with this tag' });
  owner = Option.String('--owner', { description: 'Only sessions of this owner' });

  async run(): Promise<number> {
    const loaded = await this.load();
    const projects = this.project ? [this.pickProject(loaded)] : loaded.workspace.projects;
    const summaries = buildReport(loaded, loaded.config, loaded.root, VERSION).sessions;
    const rows = projects.flatMap((project) =>
      project.sessions.map((session) => {
        const summary = summaries.find((s) => s.project === project.name && s.session === session.name)!;
        const { id: _id, ...record } = fields(readRecord(session));
        return {
          project: project.name,
          session: session.name,
          path: session.dir,
          current: summary.current,
          ...(summary.stage ? { stage: summary.stage } : {}),
          errors: summary.errors,
          warnings: summary.warnings,
          ...record,
        };
      }),
    );
    const owner = this.owner?.replace(/^@/, '');
    const shown = rows.filter(
      (r) =>
        (!this.type || r.type === this.type) &&
        (!this.status || r.status === this.status) &&
        (!this.tag || r.tags.includes(this.tag)) &&
        (!owner || r.owner?.replace(/^@/, '') === owner),
    );
    const table = renderTable(
      ['project/session', 'type', 'status', 'owner', 'stage', 'parent', 'tags'],
      shown.map((r) => [
        `${r.current ? '* ' : '  '}${r.project}/${r.session}`,
        r.type ?? '—',
        r.status ?? '—',
        r.owner ?? '—',
        r.stage ?? '—',
        r.parent ?? '—',
        r.tags.join(', '),
      ]),
    );
    this.report(shown, shown.length ? table : 'No sessions.');
    return 0;
  }
}
