import { Command, Option } from 'clipanion';
import { nextTasks } from '../../src/agents/next.ts';
import { name, RoutingCommand, where } from './route.ts';

export class NextCommand extends RoutingCommand {
  static override paths = [['next']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Show the next tasks an agent can start: open, routed to it, every dependency done.',
    details:
      'Complete and archived sessions offer no tasks, and neither do template lines (`Task 1.1 – ...`, `[REQUIRES INPUT]`).',
    examples: [
      ['Next tasks for Codex', '$0 next --agent codex'],
      ['Next task of anyone, as JSON', '$0 next --limit 1 --json'],
    ],
  });

  agent = Option.String('-a,--agent', { description: 'Only tasks routed to this agent' });
  limit = Option.String('-n,--limit', '5', { description: 'How many tasks at most' });

  async run(): Promise<number> {
    const agent = this.agent?.replace(/^@/, '');
    const loaded = await this.load();
    const next = nextTasks(loaded.workspace, loaded.config, {
      agent,
      session: this.session,
      allSessions: this.all,
      limit: Math.max(1, Number(this.limit) || 5),
    });
    if (this.json) this.print(JSON.stringify(next, null, 2));
    else if (next.length === 0) this.print(agent ? `No task is ready for ${agent}.` : 'No task is ready.');
    else
      for (const t of next)
        this.print(
          `${where(t)}  ${name(t)}  → ${t.agent ?? 'unassigned'}${t.parallel ? '  [P]' : ''}\n    ${t.text}`,
        );
    return 0;
  }
}
