import { Command, Option } from 'clipanion';
import type { ProjectModel } from '../../../src/model/model.ts';
import { lineageOf } from '../../../src/sessions/lineage.ts';
import { readRecord } from '../../../src/sessions/record.ts';
import { derivedStages, stateSession, stateStages } from '../../../src/sessions/state.ts';
import { currentSession, fields, SessionCommand } from './base.ts';

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
