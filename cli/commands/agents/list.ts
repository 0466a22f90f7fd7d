import { Command } from 'clipanion';
import { renderTable } from '../../table.ts';
import { RegistryCommand } from './registry.ts';

export class AgentsListCommand extends RegistryCommand {
  static override paths = [['agents', 'list']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'List the agents of a project’s `agent_registry.json` with their role, mode and stages.',
    details:
      'Without a registry the project has upstream’s defaults (claude-code orchestrates, gpt-codex implements, no modes); `set-mode` and `set-role` write the file.',
    examples: [['The registry', '$0 agents list']],
  });

  async run(): Promise<number> {
    const { project, registry, file, exists } = await this.load();
    if (this.json) {
      this.print(JSON.stringify({ project: project.name, file, exists, agents: registry.agents }, null, 2));
      return 0;
    }
    const rows = registry.agents.map((a) => [
      a.id,
      a.role ?? '—',
      a.mode ?? '—',
      (a.stages ?? []).join(', '),
    ]);
    this.print(renderTable(['agent', 'role', 'mode', 'stages'], rows));
    if (!exists) this.print(`(upstream defaults: ${file} does not exist yet)`);
    return 0;
  }
}
