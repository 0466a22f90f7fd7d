import { Command, Option } from 'clipanion';
import { DEFAULT_INSTRUCTION_AGENTS, INSTRUCTION_FILES } from '../../../src/agents/instructions.ts';
import { IdseError } from '../../../src/errors.ts';
import { IdseCommand } from '../../base.ts';
import { writeInstructionFiles } from '../../instructions.ts';

export class AgentsInitCommand extends IdseCommand {
  static override paths = [['agents', 'init']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'Write or refresh the IDE agents’ instruction files (AGENTS.md, CLAUDE.md, Cursor rules, …).',
    details:
      'Each file gets a block between `<!-- idse:begin … -->` and `<!-- idse:end -->` explaining the pipeline, the sessions in progress and the commands. Rerunning replaces only that block; your text outside it is never touched. Each file is reported as created, updated or unchanged.',
    examples: [
      ['Codex, Claude Code, Copilot and Cursor files', '$0 agents init'],
      ['Only CLAUDE.md', '$0 agents init --agent claude'],
    ],
  });

  agents = Option.Array('-a,--agent', {
    description: `Which agents' files: ${Object.keys(INSTRUCTION_FILES).join(', ')} (default: ${DEFAULT_INSTRUCTION_AGENTS.join(', ')})`,
  });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const agents = this.agents?.length ? this.agents : [...DEFAULT_INSTRUCTION_AGENTS];
    const unknown = agents.filter((a) => !INSTRUCTION_FILES[a]);
    if (unknown.length)
      throw new IdseError(
        'usage',
        `unknown agent ${unknown.join(', ')} (known: ${Object.keys(INSTRUCTION_FILES).join(', ')})`,
      );
    const files = await writeInstructionFiles(
      { cwd: this.context.cwd, env: this.context.env, root: this.root },
      agents,
    );
    if (this.json) this.print(JSON.stringify(files, null, 2));
    else for (const { path, change } of files) this.print(`${change.padEnd(9)} ${path}`);
    return 0;
  }
}
