import { Command, Option } from 'clipanion';
import { AGENT_MODES, type AgentMode } from '../../../src/agents/registry.ts';
import { IdseError } from '../../../src/errors.ts';
import { RegistryChangeCommand } from './registry.ts';

export class AgentsSetModeCommand extends RegistryChangeCommand {
  static override paths = [['agents', 'set-mode']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'Set an agent’s mode: planning (session docs and read-only commands only) or implementation.',
    details:
      'The mode lives in `agent_registry.json` (upstream’s format) and is enforced by the Claude Code hook that `idse agents install-hooks` installs. An agent the registry lacks is added.',
    examples: [
      ['Claude Code plans', '$0 agents set-mode claude planning'],
      ['Codex implements', '$0 agents set-mode gpt-codex implementation'],
    ],
  });

  mode = Option.String({ name: 'mode' });

  async run(): Promise<number> {
    if (!(AGENT_MODES as readonly string[]).includes(this.mode))
      throw new IdseError('usage', `unknown mode '${this.mode}' (modes: ${AGENT_MODES.join(', ')})`);
    return this.change('mode', this.mode as AgentMode);
  }
}
