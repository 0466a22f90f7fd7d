import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import type { SessionModel } from '../../src/model/model.ts';
import { STAGES } from '../../src/pipeline/stages.ts';
import type { LoadedWorkspace } from '../../src/run/load.ts';
import { metadataEdits, pointerTarget, stageEdits, withFreshMetadata } from '../../src/sessions/apply.ts';
import { type Blocker, completeBlockers, formatBlocker, reviewBlockers } from '../../src/sessions/gate.ts';
import { readRecord, SESSION_STATUSES, type SessionStatus } from '../../src/sessions/record.ts';
import { STAGE_STATUSES, stagesAt } from '../../src/sessions/state.ts';
import { editProjectFiles } from '../../src/sessions/write.ts';
import { currentSession, SessionCommand } from './session.ts';

const CLOSED = new Set(['complete', 'archived']);

/** Moving a session to a status, through the gates unless forced. */
abstract class StatusChangeCommand extends SessionCommand {
  force = Option.Boolean('--force', false, {
    description: 'Change the status despite blocking findings (recorded with who and when)',
  });

  protected blockers(loaded: LoadedWorkspace, session: SessionModel, status: SessionStatus): Blocker[] {
    if (status === 'complete')
      return completeBlockers(loaded.workspace, loaded.config, session, loaded.diagnostics);
    if (status === 'review') return reviewBlockers(session);
    return [];
  }

  /** `precondition` may refuse the change (by throwing) before the gates are looked at. */
  protected async change(
    sessionName: string | undefined,
    status: SessionStatus,
    precondition?: (session: SessionModel) => void,
  ): Promise<number> {
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    const session = this.pickSession(project, sessionName);
    precondition?.(session);
    const where = `${project.name}/${session.name}`;
    const blockers = this.blockers(loaded, session, status);
    if (blockers.length > 0 && !this.force) {
      this.report(
        { project: project.name, session: session.name, status, refused: true, blockers },
        `${where} cannot become '${status}': ${blockers.length} blocking finding(s)\n${blockers.map((b) => `  ${formatBlocker(b)}`).join('\n')}\nFix them, or pass --force to record an override.`,
      );
      return 1;
    }
    const stamp = this.stamp();
    const forced = blockers.length > 0;
    const written = await editProjectFiles(loaded.root, project.dir, () => {
      const fresh = withFreshMetadata(loaded.root, session);
      // A change that needs no override clears one left by an earlier forced change.
      const override = forced
        ? { status, by: this.who(), at: stamp, blocking: blockers.map(formatBlocker) }
        : readRecord(fresh).override
          ? null
          : undefined;
      return metadataEdits(fresh, { status, ...(override !== undefined ? { override } : {}) }, stamp);
    });
    this.report(
      { project: project.name, session: session.name, status, refused: false, forced, blockers, written },
      `${where} is now '${status}'${forced ? ` (forced past ${blockers.length} blocking finding(s), recorded in the metadata)` : ''} (${written.join(', ')}).`,
    );
    return 0;
  }
}

export class SessionSetStatusCommand extends StatusChangeCommand {
  static override paths = [['session', 'set-status']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Set a session’s status: draft, in_progress, review, complete or archived.',
    details: `
      \`complete\` is refused (exit 1, the blocking findings listed) while the session would have errors once complete or has open tasks; \`review\` while its spec or plan has no content. \`--force\` goes past the gate and records who forced it, when, and what was blocking in \`session.json\` (\`status_override\`).
    `,
    examples: [
      ['The current session is in review', '$0 session set-status review'],
      ['Another session, as JSON', '$0 session set-status in_progress --session payments --json'],
    ],
  });

  status = Option.String({ name: 'status' });
  session = Option.String('-s,--session', { description: 'Session (default: the current one)' });

  async run(): Promise<number> {
    return this.change(this.session, this.oneOf('status', this.status, SESSION_STATUSES));
  }
}

export class SessionCloseCommand extends StatusChangeCommand {
  static override paths = [['session', 'close']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Mark a session complete, if nothing blocks it.',
    details: `
      Refused (exit 1, nothing written) while the session has errors, would have some once complete (feedback without content: IDSE021), or has open tasks; \`--force\` closes it anyway and records the override.
    `,
    examples: [
      ['Close the current session', '$0 session close'],
      ['Close one despite open tasks', '$0 session close payments --force'],
    ],
  });

  name = Option.String({ name: 'session', required: false });

  async run(): Promise<number> {
    return this.change(this.name, 'complete');
  }
}

export class SessionArchiveCommand extends StatusChangeCommand {
  static override paths = [['session', 'archive']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Archive a session: it keeps its history and leaves the default views.',
    examples: [['Archive an abandoned session', '$0 session archive spike-cache']],
  });

  name = Option.String({ name: 'session', required: false });

  async run(): Promise<number> {
    return this.change(this.name, 'archived');
  }
}

export class SessionReopenCommand extends StatusChangeCommand {
  static override paths = [['session', 'reopen']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Reopen a complete or archived session (its status becomes in_progress).',
    examples: [['Reopen a closed session', '$0 session reopen payments']],
  });

  name = Option.String({ name: 'session', required: false });

  async run(): Promise<number> {
    return this.change(this.name, 'in_progress', (session) => {
      const status = readRecord(session).status;
      if (!CLOSED.has(status ?? ''))
        throw new IdseError(
          'usage',
          `${session.project}/${session.name} is '${status ?? 'without a status'}', not closed`,
        );
    });
  }
}

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

export const SESSION_STATUS_COMMANDS = [
  SessionSetStatusCommand,
  SessionCloseCommand,
  SessionArchiveCommand,
  SessionReopenCommand,
  SessionSetStageCommand,
];
