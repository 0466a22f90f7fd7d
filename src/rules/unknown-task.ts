import { docStarted } from '../model/progress.ts';
import { type Trace, tasksInRange, traceOf } from '../model/trace.ts';
import type { DepRef } from '../pipeline/facts.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

function resolves(dep: DepRef, trace: Trace, phases: Set<string>): boolean {
  switch (dep.kind) {
    case 'task':
      return trace.tasks.has(dep.key);
    case 'range':
      return (
        trace.tasks.has(dep.from) &&
        trace.tasks.has(dep.to) &&
        tasksInRange(trace, dep.from, dep.to).length > 0
      );
    case 'phase':
      return phases.has(dep.phase);
  }
}

export default defineRule({
  code: 'IDSE016',
  name: 'unknown-task',
  description:
    'Task dependencies and task citations in feedback and implementation notes name tasks that exist.',
  article: 'VIII',
  defaultSeverity: 'error',
  *check({ workspace, config }) {
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      if (trace.allTasks.length === 0) continue;
      const phases = new Set(
        trace.allTasks
          .map((t) => /\bPhase\s+(\d+)/i.exec(t.task.phase ?? '')?.[1])
          .filter((p) => p !== undefined),
      );
      for (const { doc, task } of trace.allTasks) {
        for (const dep of task.deps ?? []) {
          if (resolves(dep, trace, phases)) continue;
          yield {
            ...where,
            file: doc.path,
            range: toRange(task.span),
            message: `${task.label ?? 'task'} depends on unknown ${dep.text}`,
          };
        }
      }
      for (const doc of session.docs) {
        if (doc.kind !== 'feedback' && doc.kind !== 'implementation') continue;
        if (!docStarted(doc.facts)) continue;
        for (const ref of doc.facts.taskRefs) {
          if (!trace.tasks.has(ref.key)) {
            yield {
              ...where,
              file: doc.path,
              range: toRange(ref.span),
              message: `${ref.label} is not a task of this session`,
            };
          }
        }
      }
    }
  },
});
