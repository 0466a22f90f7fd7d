import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import type { ProjectModel } from '../../src/model/model.ts';
import { buildReport } from '../../src/report/build.ts';
import { pointerEdits, pointerTarget } from '../../src/sessions/apply.ts';
import { lineageOf } from '../../src/sessions/lineage.ts';
import { readRecord, type SessionRecord } from '../../src/sessions/record.ts';
import { derivedStages, stateSession, stateStages } from '../../src/sessions/state.ts';
import { editProjectFiles } from '../../src/sessions/write.ts';
import { VERSION } from '../../src/version.ts';
import { renderTable } from '../table.ts';
import { currentSession, SessionCommand } from './session.ts';

/** A record without where it was read from: what `list` and `info` print. */
const fields = ({ files: _files, ...record }: SessionRecord) => record;

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

/** Stage statuses of a session: from session_state.json when it describes it, else from its docs. */
function stagesOf(project: ProjectModel, session: ProjectModel['sessions'][number]) {
  const state = project.dataFiles.get('session_state.json');
  if (state && stateSession(state.text) === session.name)
    return { source: state.path, stages: stateStages(state.text) ?? {} };
  return { source: 'docs', stages: derivedStages(session) };
}

export class SessionInfoCommand extends SessionCommand {
  static override paths = [['session', 'info'], ['session-info']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Show a session’s metadata, stage statuses and, with --lineage, its parent and children.',
    examples: [
      ['The current session', '$0 session info'],
      ['The blueprint and what was spawned from it', '$0 session info __blueprint__ --lineage'],
    ],
  });

  name = Option.String({ name: 'session', required: false });
  lineage = Option.Boolean('--lineage', false, {
    description: 'Show parent, ancestors, children and related sessions',
  });

  async run(): Promise<number> {
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    const session = this.pickSession(project, this.name);
    const record = readRecord(session);
    const { source, stages } = stagesOf(project, session);
    const records = new Map(project.sessions.map((s) => [s.name, readRecord(s)]));
    const lineage = this.lineage ? lineageOf(records, session.name) : undefined;
    const data = {
      project: project.name,
      ...fields(record),
      path: session.dir,
      current: currentSession(project) === session.name,
      stages,
      stagesFrom: source,
      ...(lineage ? { lineage } : {}),
    };
    const line = (label: string, value: string | undefined) =>
      value ? [`  ${label.padEnd(13)}${value}`] : [];
    const text = [
      `${project.name}/${session.name}${data.current ? '  (current)' : ''}`,
      ...line('type', record.type),
      ...line('status', record.status),
      ...line('owner', record.owner),
      ...line('description', record.description),
      ...line('parent', record.parent),
      ...line('tags', record.tags.join(', ')),
      ...line(
        'collaborators',
        record.collaborators.map((c) => `${c.name}${c.role ? ` (${c.role})` : ''}`).join(', '),
      ),
      ...line('created', record.createdAt),
      ...line('updated', record.updatedAt),
      ...line(
        'override',
        record.override &&
          `${record.override.status} forced by ${record.override.by} at ${record.override.at}`,
      ),
      `  stages (${source === 'docs' ? 'from the docs' : source}):`,
      ...Object.entries(stages).map(([stage, status]) => `    ${stage.padEnd(15)}${status}`),
      ...(lineage
        ? [
            '  lineage:',
            `    ancestors    ${lineage.ancestors.join(' → ') || 'none (root)'}`,
            `    children     ${lineage.children.join(', ') || 'none'}`,
            ...(lineage.related.length ? [`    related      ${lineage.related.join(', ')}`] : []),
          ]
        : []),
    ].join('\n');
    this.report(data, text);
    return 0;
  }
}

export class SessionSwitchCommand extends SessionCommand {
  static override paths = [['session', 'switch']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Make a session the current one (CURRENT_SESSION and session_state.json).',
    details:
      'CURRENT_SESSION keeps its format: a bare session id (orchestrator) or `session_id:` lines (agency repos). session_state.json is started afresh for the session, its stages read from the docs, unless it already describes it.',
    examples: [['Work on payments next', '$0 session switch payments']],
  });

  name = Option.String({ name: 'session' });

  async run(): Promise<number> {
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    const session = project.sessions.find((s) => s.name === this.name);
    if (!session) throw new IdseError('usage', `no session '${this.name}' in ${project.name}`);
    const written = await editProjectFiles(
      loaded.root,
      project.dir,
      pointerEdits(project, pointerTarget(session), this.stamp()),
    );
    this.report(
      { project: project.name, session: session.name, written },
      written.length
        ? `${project.name}/${session.name} is now the current session (${written.join(', ')}).`
        : `${project.name}/${session.name} already is the current session.`,
    );
    return 0;
  }
}

export const SESSION_LIST_COMMANDS = [SessionListCommand, SessionInfoCommand, SessionSwitchCommand];
