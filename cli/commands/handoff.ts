import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'clipanion';
import { handOff } from '../../src/agents/handoff.ts';
import { parseRegistry, REGISTRY_FILE } from '../../src/agents/registry.ts';
import { routeTask } from '../../src/agents/routing.ts';
import { findSession } from '../../src/agents/session-tools.ts';
import { IdseError } from '../../src/errors.ts';
import { parseCurrentSession } from '../../src/model/current-session.ts';
import { traceOf } from '../../src/model/trace.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { IdseCommand } from '../base.ts';
import { pickProject } from '../project.ts';

export class HandoffCommand extends IdseCommand {
  static override paths = [['handoff']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Move a task to another agent, recording who, when and why in the tasks doc.',
    details:
      'Changes the task’s `(Owner: …)` and adds a nested `- Handoff: @from → @to on DATE: note` line under it, so the history lives in git with the task.',
    examples: [['Hand Task 1.2 to Codex', '$0 handoff "Task 1.2" --to codex --note "needs the migration"']],
  });

  task = Option.String({ name: 'task' });
  to = Option.String('--to', { required: true, description: 'Agent taking the task over' });
  note = Option.String('--note', { description: 'Why it moves' });
  project = Option.String('-p,--project', { description: 'Project (default: the only one)' });
  session = Option.String('-s,--session', {
    description: 'Session (default: the project’s current session)',
  });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const loaded = await loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const project = pickProject(loaded.workspace, this.project);
    const current = project.dataFiles.get('CURRENT_SESSION');
    const sessionName = this.session ?? (current ? parseCurrentSession(current.text).session : undefined);
    if (!sessionName) throw new IdseError('usage', 'pick a session with --session');
    const session = findSession(loaded, project.name, sessionName);
    const key = this.task.replace(/^task\s+/i, '').replace(/^T0*(\d)/i, 'T$1');
    const entry = traceOf(session, loaded.config)
      .tasks.get(key)
      ?.find((t) => t.task.parent === undefined);
    if (!entry) throw new IdseError('usage', `no task '${this.task}' in ${project.name}/${session.name}`);
    const registry = parseRegistry(project.dataFiles.get(REGISTRY_FILE)?.text);
    const from = routeTask(entry.task, loaded.config, registry).agent;
    const text = readFileSync(join(loaded.root, entry.doc.path), 'utf8');
    const updated = handOff(text, entry.task.span[0], {
      ...(from ? { from: `@${from.replace(/^@/, '')}` } : {}),
      to: this.to,
      date: this.context.now().toISOString().slice(0, 10),
      ...(this.note ? { note: this.note } : {}),
    });
    writeFilesAtomically(loaded.root, new Map([[entry.doc.path, updated]]), { force: true });
    this.print(
      `${entry.task.label ?? key} → @${this.to.replace(/^@/, '')} (${entry.doc.path}:${entry.task.span[0]})`,
    );
    return 0;
  }
}
