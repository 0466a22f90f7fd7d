import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import {
  type AgentProfile,
  compileProfile,
  type ProfileProblem,
  readAgentProfile,
  renderProfile,
} from '../../../src/compile/agent-spec.ts';
import { IdseError } from '../../../src/errors.ts';
import type { ProjectModel } from '../../../src/model/model.ts';
import { primaryDoc } from '../../../src/model/progress.ts';
import { loadWorkspace } from '../../../src/run/load.ts';
import { writeFilesAtomically } from '../../../src/scaffold/write.ts';
import { BLUEPRINT } from '../../../src/sessions/record.ts';
import { IdseCommand } from '../../base.ts';
import { pickProject } from '../../project.ts';

const fail = (problem: ProfileProblem, file: string): never => {
  throw new IdseError(problem.code, problem.message, {
    file,
    ...(problem.line ? { line: problem.line } : {}),
  });
};

export class CompileAgentSpecCommand extends IdseCommand {
  static override paths = [['compile', 'agent-spec']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'Compile a session spec’s `## Agent Profile` (over the blueprint’s) into an AgentProfileSpec YAML file.',
    details:
      'Reads the first ```yaml block of the `## Agent Profile` section of the session’s spec and of the blueprint session’s spec (numbered headings such as `## 6. Agent Profile` count), merges them as upstream does (the blueprint gives defaults, the session overrides; maps merge, lists and values are replaced), validates the result against upstream’s AgentProfileSpec (`id` and `name` required) and writes `<project>/build/agents/<session>.profile.yaml`. A malformed profile is an error naming the spec’s file and line. The output has no timestamp, so the same docs give the same bytes.',
    examples: [
      ['Compile a session', '$0 compile agent-spec --session agent-spec-compiler'],
      ['Print it instead', '$0 compile agent-spec --session agent-spec-compiler --dry-run'],
    ],
  });

  session = Option.String('-s,--session', { required: true, description: 'The feature session' });
  blueprint = Option.String('--blueprint', BLUEPRINT, {
    description: 'Session giving defaults (default: __blueprint__)',
  });
  out = Option.String('--out', { description: 'Output folder (default: <project>/build/agents)' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Validate and print without writing' });
  project = Option.String('-p,--project', { description: 'Project (default: the only one)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const loaded = await loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const project = pickProject(loaded.workspace, this.project);
    const feature = this.profile(loaded.root, project, this.session, true)!;
    const blueprint =
      this.session === this.blueprint ? undefined : this.profile(loaded.root, project, this.blueprint, false);
    const compiled = compileProfile({
      feature: feature.profile,
      ...(blueprint ? { blueprint: blueprint.profile } : {}),
      session: this.session,
      blueprintSession: this.blueprint,
    });
    if ('code' in compiled)
      return fail(compiled, compiled.source === 'blueprint' && blueprint ? blueprint.file : feature.file);
    const text = renderProfile(compiled.spec);
    for (const key of compiled.ignored)
      this.context.stderr.write(
        `idse: ${feature.file}: \`${key}\` is not an AgentProfileSpec field; left out\n`,
      );
    if (this.dryRun) {
      this.print(
        this.json ? JSON.stringify({ spec: compiled.spec, ignored: compiled.ignored }, null, 2) : text,
      );
      return 0;
    }
    const dir = this.out
      ? relative(loaded.root, resolve(this.context.cwd, this.out))
      : `${project.dir}/build/agents`;
    if (dir.startsWith('..') || isAbsolute(dir))
      throw new IdseError('usage', `--out ${this.out} is outside the workspace`);
    const file = join(dir, `${this.session}.profile.yaml`).split('\\').join('/');
    writeFilesAtomically(loaded.root, new Map([[file, text]]), { force: true });
    this.print(
      this.json
        ? JSON.stringify({ file, spec: compiled.spec, ignored: compiled.ignored }, null, 2)
        : `Agent spec written: ${file}`,
    );
    return 0;
  }

  /** A session's profile, or undefined for a blueprint without one (it only gives defaults). */
  private profile(root: string, project: ProjectModel, name: string, required: boolean) {
    const session = project.sessions.find((s) => s.name === name);
    const spec = session && primaryDoc(session, 'spec');
    if (!session || !spec) {
      if (!required) return undefined;
      throw new IdseError(
        'agent-profile-missing',
        session ? `session ${name} has no spec` : `no session '${name}' in ${project.name}`,
      );
    }
    const read = readAgentProfile(readFileSync(join(root, spec.path), 'utf8'));
    if ('code' in read) {
      if (!required && read.code === 'agent-profile-missing') return undefined;
      return fail(read, spec.path);
    }
    return { profile: read as AgentProfile, file: spec.path };
  }
}
