import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import { parseCurrentSession } from '../../src/model/current-session.ts';
import type { ProjectModel, SessionModel } from '../../src/model/model.ts';
import { type LoadedWorkspace, loadWorkspace } from '../../src/run/load.ts';
import { checkName, checkOwner, sessionPlan } from '../../src/scaffold/plan.ts';
import { pointerEdits } from '../../src/sessions/apply.ts';
import { BLUEPRINT, SESSION_TYPES } from '../../src/sessions/record.ts';
import { pendingStages } from '../../src/sessions/state.ts';
import { upstreamTimestamp } from '../../src/sessions/time.ts';
import { editProjectFiles, type FileEdit } from '../../src/sessions/write.ts';
import { IdseCommand } from '../base.ts';

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

/** A file that must not exist yet: the edit refuses (and so nothing is written) when it does. */
const createOnly =
  (path: string, content: string): FileEdit =>
  (current) => {
    if (current !== undefined)
      throw new IdseError('write-conflict', `${path} already exists; nothing was written`);
    return content;
  };

/** Creating a session, shared by `session new`, its upstream name `session create`, and `spawn`. */
abstract class CreateSessionCommand extends SessionCommand {
  owner = Option.String('--owner', { description: 'Session owner (default: $USER)' });
  description = Option.String('--description', { description: 'One-line summary of the session' });
  keepCurrent = Option.Boolean('--keep-current', false, { description: 'Leave CURRENT_SESSION as it is' });

  protected async create(
    name: string,
    options: { parent: string | undefined | 'default'; type: string; tags: string[] },
  ): Promise<number> {
    const owner = this.owner ?? this.context.env.USER ?? 'unassigned';
    const problem = checkName('session', name) ?? checkOwner(owner);
    if (problem) throw new IdseError('usage', problem);
    this.oneOf('type', options.type, SESSION_TYPES);
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    if (project.sessions.some((s) => s.name === name))
      throw new IdseError('write-conflict', `session '${name}' already exists in ${project.name}`);
    const hasBlueprint = project.sessions.some((s) => s.name === BLUEPRINT);
    const parent = options.parent === 'default' ? (hasBlueprint ? BLUEPRINT : undefined) : options.parent;
    if (parent !== undefined && !project.sessions.some((s) => s.name === parent))
      throw new IdseError(
        'usage',
        `no session '${parent}' in ${project.name} to spawn from${parent === BLUEPRINT ? ' (this project has no blueprint)' : ''}`,
      );
    const stamp = this.stamp();
    const values = {
      project: project.name,
      session: name,
      owner,
      date: this.context.now().toISOString().slice(0, 10),
    };
    const files = sessionPlan(values, project.dir, {
      type: options.type,
      ...(parent ? { parent } : {}),
      ...(this.description ? { description: this.description } : {}),
      tags: options.tags,
      stamp,
    });
    const edits = new Map<string, FileEdit>([...files].map(([path, text]) => [path, createOnly(path, text)]));
    const dir = `${project.dir}/sessions/${name}`;
    if (!this.keepCurrent) {
      const target = { id: name, dir, isBlueprint: false, stages: pendingStages() };
      for (const [path, edit] of pointerEdits(project, target, stamp)) edits.set(path, edit);
    }
    const written = await editProjectFiles(loaded.root, project.dir, edits);
    this.report(
      {
        project: project.name,
        session: name,
        path: dir,
        parent: parent ?? null,
        current: !this.keepCurrent,
        written,
      },
      `Created session ${project.name}/${name}${parent ? ` from ${parent}` : ''} (${files.size} files)${this.keepCurrent ? '' : '; it is now the current session'}.`,
    );
    return 0;
  }
}

export class SessionNewCommand extends CreateSessionCommand {
  static override paths = [
    ['session', 'new'],
    ['session', 'create'],
  ];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Start a new session from the templates and make it the current one.',
    details: `
      The session's \`metadata/session.json\` records its type, description, tags, owner and parent: the session given with \`--from\`, else the project's \`__blueprint__\` when it has one. \`session create\` is the same command under the upstream orchestrator's name.
    `,
    examples: [
      ['New session in the only project', '$0 session new payments-retry'],
      ['Spawned from another session, tagged', '$0 session new retry-ui --from payments-retry --tag ui'],
      [
        'An exploration with a summary',
        '$0 session new spike-cache --type exploratory --description "Try a cache"',
      ],
    ],
  });

  name = Option.String({ name: 'name' });
  from = Option.String('--from', {
    description: 'Parent session (default: __blueprint__ when there is one)',
  });
  blueprint = Option.Boolean('--blueprint', false, { description: 'Spawn from the project’s __blueprint__' });
  type = Option.String('--type', 'feature', { description: `Session type: ${SESSION_TYPES.join(' or ')}` });
  tags = Option.Array('--tag', [], { description: 'A tag (repeat for more)' });

  async run(): Promise<number> {
    if (this.from && this.blueprint) throw new IdseError('usage', 'give --from or --blueprint, not both');
    const parent = this.blueprint ? BLUEPRINT : (this.from ?? 'default');
    return this.create(this.name, { parent, type: this.type, tags: this.tags });
  }
}

/** The upstream orchestrator's `idse spawn --plan feature <name>`, so its scripts keep working. */
export class SpawnCommand extends CreateSessionCommand {
  static override paths = [['spawn']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Spawn a feature session from a blueprint (the upstream orchestrator’s verb).',
    details: 'The same as `idse session new <name> --from <blueprint>`.',
    examples: [['Spawn from the project blueprint', '$0 spawn --plan feature sync-bridge --owner gpt5']],
  });

  name = Option.String({ name: 'feature_name' });
  plan = Option.String('--plan', { required: true, description: 'Plan type (only `feature`)' });
  blueprint = Option.String('--blueprint', BLUEPRINT, {
    description: 'Parent session (default: __blueprint__)',
  });

  async run(): Promise<number> {
    if (this.plan !== 'feature') throw new IdseError('usage', `invalid plan '${this.plan}': only 'feature'`);
    return this.create(this.name, { parent: this.blueprint, type: 'feature', tags: [] });
  }
}
