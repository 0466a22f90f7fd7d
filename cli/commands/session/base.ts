import { Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { parseCurrentSession } from '../../../src/model/current-session.ts';
import type { ProjectModel, SessionModel } from '../../../src/model/model.ts';
import { type LoadedWorkspace, loadWorkspace } from '../../../src/run/load.ts';
import type { SessionRecord } from '../../../src/sessions/record.ts';
import { upstreamTimestamp } from '../../../src/sessions/time.ts';
import { IdseCommand } from '../../base.ts';

/** What every `idse session …` command shares: which workspace and project, JSON output, the clock. */
export abstract class SessionCommand extends IdseCommand {
  project = Option.String('-p,--project', {
    description: 'Project (default: the only project in the workspace)',
  });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  protected load(): Promise<LoadedWorkspace> {
    return loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
  }

  protected pickProject(loaded: LoadedWorkspace): ProjectModel {
    const { projects } = loaded.workspace;
    if (this.project) {
      const found = projects.find((p) => p.name === this.project);
      if (!found)
        throw new IdseError(
          'usage',
          `no project '${this.project}' (projects: ${projects.map((p) => p.name).join(', ') || 'none'})`,
        );
      return found;
    }
    if (projects.length === 1) return projects[0]!;
    throw new IdseError(
      'usage',
      projects.length === 0
        ? 'no IDSE project here; run `idse init <project>` first'
        : `several projects (${projects.map((p) => p.name).join(', ')}); pick one with --project`,
    );
  }

  /** The named session, or the project's current one. */
  protected pickSession(project: ProjectModel, name: string | undefined): SessionModel {
    const wanted = name ?? currentSession(project);
    if (!wanted)
      throw new IdseError(
        'usage',
        `${project.name} has no current session; name one (see \`idse session list\`)`,
      );
    const session = project.sessions.find((s) => s.name === wanted);
    if (!session) throw new IdseError('usage', `no session '${wanted}' in ${project.name}`);
    return session;
  }

  /** `value` when it is one of `allowed`, else a usage error naming them. */
  protected oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value))
      throw new IdseError('usage', `invalid ${what} '${value}': use ${allowed.join(', ')}`);
    return value as T;
  }

  protected stamp(): string {
    return upstreamTimestamp(this.context.now());
  }

  /** Who is running the command, for records of forced changes. */
  protected who(): string {
    return this.context.env.USER ?? this.context.env.USERNAME ?? 'unknown';
  }

  /** `data` as JSON with --json, else the text. */
  protected report(data: unknown, text: string): void {
    this.print(this.json ? JSON.stringify(data, null, 2) : text);
  }
}

export const currentSession = (project: ProjectModel): string | undefined => {
  const file = project.dataFiles.get('CURRENT_SESSION');
  return file ? parseCurrentSession(file.text).session : undefined;
};

/** A record without where it was read from: what `list` and `info` print. */
export const fields = ({ files: _files, ...record }: SessionRecord) => record;
