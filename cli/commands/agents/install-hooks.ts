import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { gateCommand, withGateHook } from '../../../src/agents/hooks.ts';
import { IdseError } from '../../../src/errors.ts';
import { writeFilesAtomically } from '../../../src/scaffold/write.ts';
import { IdseCommand } from '../../base.ts';

export class AgentsInstallHooksCommand extends IdseCommand {
  static override paths = [['agents', 'install-hooks']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Register `idse agents gate` as a Claude Code PreToolUse hook, so agent modes are enforced.',
    details:
      'Merges into `.claude/settings.json` (`--local`: `.claude/settings.local.json`): your other settings and hooks are kept, and a gate registered earlier is updated rather than added twice. A settings file that is not valid JSON is reported and left alone.',
    examples: [
      ['Install for the team', '$0 agents install-hooks'],
      ['Only for you, running idse through npx', '$0 agents install-hooks --local --command "npx idse"'],
    ],
  });

  local = Option.Boolean('--local', false, {
    description: 'Write .claude/settings.local.json (not committed)',
  });
  command = Option.String('--command', 'idse', { description: 'How the hook runs idse (default: idse)' });
  agent = Option.String('--agent', 'claude', {
    description: 'The registry agent Claude Code is (default: claude)',
  });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const root = resolve(this.context.cwd, this.root ?? '.');
    const path = `.claude/${this.local ? 'settings.local.json' : 'settings.json'}`;
    const abs = join(root, path);
    const before = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    const merged = withGateHook(before, gateCommand(this.command, this.agent));
    if ('problem' in merged)
      throw new IdseError('config-invalid', `cannot add the hook: ${merged.problem}`, { file: path });
    if (merged.change !== 'unchanged')
      writeFilesAtomically(root, new Map([[path, merged.text]]), { force: true });
    this.print(
      this.json ? JSON.stringify({ path, change: merged.change }) : `${merged.change.padEnd(9)} ${path}`,
    );
    return 0;
  }
}
