import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'clipanion';
import { INSTRUCTION_FILES, mergeBlock, renderBlock } from '../../src/agents/instructions.ts';
import { IdseError } from '../../src/errors.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { loadReport } from '../../src/workspace/load.ts';
import { IdseCommand } from '../base.ts';

export class AgentsInitCommand extends IdseCommand {
  static override paths = [['agents', 'init']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Write or refresh the IDE agents’ instruction files (AGENTS.md, CLAUDE.md, …).',
    details:
      'Each file gets a block between `<!-- idse:begin … -->` and `<!-- idse:end -->` explaining the pipeline, the sessions in progress and the commands. Rerunning replaces only that block; your text outside it is never touched.',
    examples: [
      ['Codex, Claude Code and Copilot files', '$0 agents init'],
      ['Only CLAUDE.md', '$0 agents init --agent claude'],
    ],
  });

  agents = Option.Array('-a,--agent', {
    description: `Which agents' files: ${Object.keys(INSTRUCTION_FILES).join(', ')} (default: codex, claude, copilot)`,
  });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const agents = this.agents?.length ? this.agents : ['codex', 'claude', 'copilot'];
    const unknown = agents.filter((a) => !INSTRUCTION_FILES[a]);
    if (unknown.length)
      throw new IdseError(
        'usage',
        `unknown agent ${unknown.join(', ')} (known: ${Object.keys(INSTRUCTION_FILES).join(', ')})`,
      );
    const { report } = await loadReport({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const block = renderBlock(report.sessions);
    const changed = new Map<string, string>();
    for (const agent of agents) {
      const path = INSTRUCTION_FILES[agent]!;
      const abs = join(report.root, path);
      const before = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
      const after = mergeBlock(before, block);
      if (after !== before) changed.set(path, after);
    }
    if (changed.size) writeFilesAtomically(report.root, changed, { force: true });
    for (const agent of agents) {
      const path = INSTRUCTION_FILES[agent]!;
      this.print(`${changed.has(path) ? 'updated  ' : 'unchanged'} ${path}`);
    }
    return 0;
  }
}
