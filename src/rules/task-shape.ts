import type { TaskFact } from '../pipeline/facts.ts';
import { toRange } from '../pipeline/facts.ts';
import { traceOf } from '../workspace/trace.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

/** What keeps a task from being atomic and routable: no ID to cite, no owner, no way to check it. */
function problemsOf(task: TaskFact): string[] {
  const problems: string[] = [];
  if (!task.key) problems.push('has no ID (e.g. "Task 1.2" or "T012")');
  if (!task.owner) problems.push('has no owner (e.g. "(Owner: @claude)")');
  if (!task.acceptance) problems.push('has no acceptance check (e.g. "(Acceptance: FR-1 passes)")');
  if (task.key && task.deps?.some((d) => d.kind === 'task' && d.key === task.key))
    problems.push('depends on itself');
  return problems;
}

export default defineRule({
  code: 'IDSE020',
  name: 'task-shape',
  description: 'Each task has an ID, an owner and an acceptance check; the tasks doc has tasks.',
  article: 'VIII',
  defaultSeverity: 'warning',
  *check({ workspace, config }) {
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      for (const doc of session.docs) {
        if (doc.kind !== 'tasks') continue;
        if (doc.facts.tasks.length === 0) {
          yield {
            ...where,
            file: doc.path,
            range: headRange(doc.facts),
            message: 'tasks doc has no task items ("- [ ] Task 0.1 – …")',
          };
        }
      }
      for (const { doc, task } of trace.allTasks) {
        // Nested check items are sub-steps of their parent task, which carries the fields.
        if (task.parent !== undefined) continue;
        const problems = problemsOf(task);
        if (problems.length === 0) continue;
        yield {
          ...where,
          file: doc.path,
          range: toRange(task.span),
          message: `${task.label ?? 'task'} ${problems.join(', ')}`,
        };
      }
    }
  },
});
