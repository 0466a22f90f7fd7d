import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { RegistryChangeCommand } from './registry.ts';

export class AgentsSetRoleCommand extends RegistryChangeCommand {
  static override paths = [['agents', 'set-role']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'Set an agent’s role label in `agent_registry.json` (orchestrator, implementer, reviewer, …).',
    examples: [['Copilot reviews feedback', '$0 agents set-role copilot feedback-reviewer']],
  });

  role = Option.String({ name: 'role' });

  async run(): Promise<number> {
    if (!this.role.trim()) throw new IdseError('usage', 'a role cannot be empty');
    return this.change('role', this.role.trim());
  }
}
