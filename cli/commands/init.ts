import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { CONFIG_FILES } from '../../src/config/files.ts';
import { IdseError } from '../../src/errors.ts';
import { checkName, checkOwner, DEFAULT_SESSION, initPlan } from '../../src/scaffold/plan.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { upstreamTimestamp } from '../../src/sessions/time.ts';
import { IdseCommand } from '../base.ts';

export class InitCommand extends IdseCommand {
  static override paths = [['init']];

  static override usage = Command.Usage({
    description: 'Scaffold a project: its blueprint and a first session spawned from it.',
    details: `
      Writes the project's \`__blueprint__\` session (\`metadata/session.json\` and \`metadata/blueprint.md\`, as the upstream orchestrator has them), then \`projects/<project>/sessions/<session>/\` with one doc per stage (intent, context, spec, plan, test plan, tasks, implementation, feedback, metadata) and its \`session.json\` naming the blueprint as parent, \`CURRENT_SESSION\` and \`session_state.json\` for it, the constitution in \`.idse/constitution.md\` and a starter \`idse.config.yml\` when the repo has no config yet.

      Never overwrites a file unless \`--force\`; all files are written or none.
    `,
    examples: [
      ['Start project "demo"', '$0 init demo'],
      ['Name the first session', '$0 init demo --session auth-flow --owner @alice'],
    ],
  });

  project = Option.String({ required: false, name: 'project' });
  session = Option.String('-s,--session', DEFAULT_SESSION, {
    description: `First session’s name (default: ${DEFAULT_SESSION})`,
  });
  owner = Option.String('--owner', {
    description: 'Session owner written into the metadata (default: $USER)',
  });
  force = Option.Boolean('--force', false, { description: 'Overwrite existing files' });
  root = Option.String('--root', {
    description: 'Where to create the workspace (default: the current folder)',
  });

  async run(): Promise<number> {
    const { cwd, env, now } = this.context;
    const root = resolve(cwd, this.root ?? '.');
    const project = this.project ?? basename(root);
    for (const [kind, name] of [
      ['project', project],
      ['session', this.session],
    ] as const) {
      const problem = checkName(kind, name);
      if (problem) throw new IdseError('usage', problem);
    }
    const owner = this.owner ?? env.USER ?? 'unassigned';
    const ownerProblem = checkOwner(owner);
    if (ownerProblem) throw new IdseError('usage', ownerProblem);
    const values = {
      project,
      session: this.session,
      owner,
      date: now().toISOString().slice(0, 10),
    };
    const hasConfig = CONFIG_FILES.some((f) => existsSync(join(root, f)));
    const { files, keep } = initPlan(values, upstreamTimestamp(now()), hasConfig);
    const result = writeFilesAtomically(root, files, { force: this.force, keepExisting: keep });
    this.print(`Created ${result.written.length} files for ${project}/${this.session}:`);
    for (const path of result.written) this.print(`  ${path}`);
    this.print(
      '\nNext: fill in the [REQUIRES INPUT] markers, starting with the intent, then run `idse validate`.',
    );
    return 0;
  }
}
