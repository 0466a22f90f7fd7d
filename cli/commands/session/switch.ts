import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { pointerEdits, pointerTarget } from '../../../src/sessions/apply.ts';
import { editProjectFiles } from '../../../src/sessions/write.ts';
import { SessionCommand } from './base.ts';

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
