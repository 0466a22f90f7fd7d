import { Command, Option } from 'clipanion';
import { STAGES } from '../../../src/pipeline/stages.ts';
import { pointerTarget, stageEdits } from '../../../src/sessions/apply.ts';
import { STAGE_STATUSES, stagesAt } from '../../../src/sessions/state.ts';
import { editProjectFiles } from '../../../src/sessions/write.ts';
import { currentSession, SessionCommand } from './base.ts';

export class SessionSetStageCommand extends SessionCommand {
  static override paths = [['session', 'set-stage']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Record the stage the current session is at, in session_state.json.',
    details: `
      Without \`--status\`, earlier stages become \`completed\`, this one \`in_progress\` and later ones \`pending\`; with it, only this stage changes. \`session_state.json\` describes the project's current session, as the upstream orchestrator keeps it: switch to a session first to set its stage.
    `,
    examples: [
      ['The current session is at the plan', '$0 session set-stage plan'],
      ['Mark the spec completed', '$0 session set-stage spec --status completed'],
    ],
  });

  stage = Option.String({ name: 'stage' });
  status = Option.String('--status', { description: `Status of this stage: ${STAGE_STATUSES.join(', ')}` });

  async run(): Promise<number> {
    const stage = this.oneOf('stage', this.stage, STAGES);
    const status =
      this.status === undefined ? undefined : this.oneOf('stage status', this.status, STAGE_STATUSES);
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    const session = this.pickSession(project, currentSession(project));
    const stages = status ? { [stage]: status } : stagesAt(stage);
    const written = await editProjectFiles(
      loaded.root,
      project.dir,
      stageEdits(project, pointerTarget(session), stages, this.stamp()),
    );
    this.report(
      { project: project.name, session: session.name, stages, written },
      `${project.name}/${session.name}: ${Object.entries(stages)
        .map(([s, v]) => `${s} ${v}`)
        .join(', ')} (${written.join(', ') || 'unchanged'}).`,
    );
    return 0;
  }
}
