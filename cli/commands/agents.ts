import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'clipanion';
import type { FileChange } from '../../src/agents/hooks.ts';
import {
  DEFAULT_INSTRUCTION_AGENTS,
  INSTRUCTION_FILES,
  mergeBlock,
  NEW_FILE_PREFIX,
  renderBlock,
} from '../../src/agents/instructions.ts';
import { IdseError } from '../../src/errors.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { loadReport } from '../../src/workspace/load.ts';
import { IdseCommand } from '../base.ts';

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
    const { report } = await loadReport({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const block = renderBlock(report.sessions);
    const changed = new Map<string, string>();
    const files: { path: string; change: FileChange }[] = [];
    for (const agent of new Set(agents)) {
      const path = INSTRUCTION_FILES[agent]!;
      const abs = join(report.root, path);
      const before = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
      const after = mergeBlock(before, block, NEW_FILE_PREFIX[agent]);
      const change: FileChange =
        after === before ? 'unchanged' : before === undefined ? 'created' : 'updated';
      if (change !== 'unchanged') changed.set(path, after);
      files.push({ path, change });
    }
    if (changed.size) writeFilesAtomically(report.root, changed, { force: true });
    if (this.json) this.print(JSON.stringify(files, null, 2));
    else for (const { path, change } of files) this.print(`${change.padEnd(9)} ${path}`);
    return 0;
  }
}
