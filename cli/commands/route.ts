import { Command, Option } from 'clipanion';
import { type RoutedTask, routeWorkspace } from '../../src/agents/routing.ts';
import { type LoadedWorkspace, loadWorkspace } from '../../src/run/load.ts';
import { IdseCommand } from '../base.ts';
import { renderTable } from '../table.ts';

export abstract class RoutingCommand extends IdseCommand {
  session = Option.String('-s,--session', {
    description: 'Only this session (default: each project’s current session)',
  });
  all = Option.Boolean('--all-sessions', false, { description: 'Every session, not just the current ones' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  protected load(): Promise<LoadedWorkspace> {
    return loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
  }

  protected async tasks(): Promise<RoutedTask[]> {
    const loaded = await this.load();
    return routeWorkspace(loaded.workspace, loaded.config, {
      ...(this.session ? { session: this.session } : {}),
      allSessions: this.all,
    });
  }
}

export const where = (t: RoutedTask) => `${t.file}:${t.line}`;
export const name = (t: RoutedTask) => t.label ?? t.text.slice(0, 40);

export class RouteCommand extends RoutingCommand {
  static override paths = [['route']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Show which agent takes each task, why, and whether it can start.',
    details:
      'Assignment order: a task’s owner when it names an agent (or alias), then the first matching `routes` entry of the config, then the implementation agent of `agent_registry.json`, then `defaultAgent`.',
    examples: [
      ['Assignment table', '$0 route'],
      ['As JSON', '$0 route --json'],
    ],
  });

  async run(): Promise<number> {
    const tasks = await this.tasks();
    if (this.json) {
      this.print(JSON.stringify(tasks, null, 2));
      return 0;
    }
    const rows = tasks.map((t) => [
      `${t.project}/${t.session}`,
      name(t),
      t.agent ?? '—',
      t.reason,
      t.done ? 'done' : t.ready ? 'ready' : 'waiting',
    ]);
    const header = ['session', 'task', 'agent', 'by', 'state'];
    this.print(renderTable(header, rows));
    return 0;
  }
}
