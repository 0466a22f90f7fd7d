import { Option } from 'clipanion';
import type { SessionModel } from '../../../src/model/model.ts';
import type { LoadedWorkspace } from '../../../src/run/load.ts';
import { metadataEdits, withFreshMetadata } from '../../../src/sessions/apply.ts';
import { type Blocker, completeBlockers, formatBlocker, reviewBlockers } from '../../../src/sessions/gate.ts';
import { readRecord, type SessionStatus } from '../../../src/sessions/record.ts';
import { editProjectFiles } from '../../../src/sessions/write.ts';
import { SessionCommand } from './base.ts';

/** Moving a session to a status, through the gates unless forced. */
export abstract class StatusChangeCommand extends SessionCommand {
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

/** `session close|archive|reopen [session]`: one status, the session named or the current one. */
export abstract class SessionToStatusCommand extends StatusChangeCommand {
  name = Option.String({ name: 'session', required: false });

  protected abstract readonly status: SessionStatus;

  /** Refuses the change (by throwing) before the gates are looked at; none by default. */
  protected precondition(_session: SessionModel): void {}

  async run(): Promise<number> {
    return this.change(this.name, this.status, (session) => this.precondition(session));
  }
}
