import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import { buildReport } from '../../src/report/build.ts';
import { checkName, checkOwner, sessionPlan } from '../../src/scaffold/plan.ts';
import { type SessionStatus, withFrontMatterStatus, withJsonStatus } from '../../src/scaffold/status.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { VERSION } from '../../src/version.ts';
import { type LoadedWorkspace, loadWorkspace } from '../../src/workspace/load.ts';
import type { ProjectModel } from '../../src/workspace/model.ts';
import { primaryDoc } from '../../src/workspace/progress.ts';
import { IdseCommand } from '../base.ts';
import { statusTable } from './status.ts';

abstract class SessionCommand extends IdseCommand {
  project = Option.String('-p,--project', {
    description: 'Project (default: the only project in the workspace)',
  });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

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
}

export class SessionNewCommand extends SessionCommand {
  static override paths = [['session', 'new']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Start a new session from the templates and make it the current one.',
    examples: [['New session in the only project', '$0 session new payments-retry']],
  });

  name = Option.String({ name: 'name' });
  owner = Option.String('--owner', { description: 'Session owner (default: $USER)' });
  keepCurrent = Option.Boolean('--keep-current', false, { description: 'Leave CURRENT_SESSION as it is' });

  async run(): Promise<number> {
    const owner = this.owner ?? this.context.env.USER ?? 'unassigned';
    const problem = checkName('session', this.name) ?? checkOwner(owner);
    if (problem) throw new IdseError('usage', problem);
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    if (project.sessions.some((s) => s.name === this.name)) {
      throw new IdseError('write-conflict', `session '${this.name}' already exists in ${project.name}`);
    }
    const values = {
      project: project.name,
      session: this.name,
      owner,
      date: this.context.now().toISOString().slice(0, 10),
    };
    const files = sessionPlan(values, project.dir);
    if (!this.keepCurrent) files.set(`${project.dir}/CURRENT_SESSION`, `${this.name}\n`);
    const { written } = writeFilesAtomically(loaded.root, files, { force: true, keepExisting: new Set() });
    this.print(
      `Created session ${project.name}/${this.name} (${written.length} files)${this.keepCurrent ? '' : '; it is now the current session'}.`,
    );
    return 0;
  }
}

export class SessionListCommand extends SessionCommand {
  static override paths = [['session', 'list'], ['sessions']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'List sessions with their stage and status.',
  });

  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run(): Promise<number> {
    const loaded = await this.load();
    const report = buildReport(loaded, loaded.config, loaded.root, VERSION);
    const sessions = this.project
      ? report.sessions.filter((s) => s.project === this.project)
      : report.sessions;
    if (this.json) this.print(JSON.stringify(sessions, null, 2));
    else this.print(sessions.length ? statusTable(sessions) : 'No sessions.');
    return 0;
  }
}

abstract class SetStatusCommand extends SessionCommand {
  abstract readonly status: SessionStatus;
  name = Option.String({ name: 'session' });

  async run(): Promise<number> {
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    const session = project.sessions.find((s) => s.name === this.name);
    if (!session) throw new IdseError('usage', `no session '${this.name}' in ${project.name}`);
    const json = session.dataFiles.get('session.json');
    const meta = primaryDoc(session, 'meta');
    const now = this.context.now();
    const [path, content] = json
      ? [json.path, withJsonStatus(json.text, this.status, now)]
      : meta
        ? [meta.path, withFrontMatterStatus(readFileSync(join(loaded.root, meta.path), 'utf8'), this.status)]
        : [
            `${session.dir}/metadata/meta.md`,
            `---\nsession: ${session.name}\nstatus: ${this.status}\n---\n\n# Session: ${session.name}\n`,
          ];
    writeFilesAtomically(loaded.root, new Map([[path, content]]), { force: true });
    this.print(`${project.name}/${session.name} is now '${this.status}' (${path}).`);
    return 0;
  }
}

export class SessionCloseCommand extends SetStatusCommand {
  static override paths = [['session', 'close']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Mark a session complete (its feedback must then have content: rule IDSE021).',
  });
  readonly status = 'complete' as const;
}

export class SessionArchiveCommand extends SetStatusCommand {
  static override paths = [['session', 'archive']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Archive a session: it keeps its history and leaves the default views.',
  });
  readonly status = 'archived' as const;
}
