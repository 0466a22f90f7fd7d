import { Command, Option } from 'clipanion';
import { createMcpServer } from '../../src/mcp/server.ts';
import { serveStdio } from '../../src/mcp/stdio.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { IdseCommand } from '../base.ts';

export class McpCommand extends IdseCommand {
  static override paths = [['mcp']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Serve the workspace to IDE agents over the Model Context Protocol (stdio).',
    details:
      'Tools: list_sessions, next_tasks, read_doc, validate_session, mark_task_done, append_feedback. Every tool goes through the engine; writes are atomic and confined to the session’s folder. Register it in your agent, e.g. `claude mcp add idse -- idse mcp`.',
    examples: [['Serve the current folder', '$0 mcp']],
  });

  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const server = createMcpServer({
      load: () => loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root }),
      now: this.context.now,
    });
    return serveStdio(server, this.context);
  }
}
