import { toRange } from '../pipeline/facts.ts';
import { traceOf } from '../workspace/trace.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE014',
  name: 'task-without-requirement',
  description: 'Every task cites the requirement or acceptance criterion it serves.',
  article: 'VIII',
  defaultSeverity: 'info',
  *check({ workspace, config }) {
    const families = new Set(config.ids.requirements);
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      // Only meaningful once the spec defines requirements to cite.
      if (trace.requirements.size === 0) continue;
      const citing = new Set<string>();
      for (const doc of session.docs) {
        for (const fact of doc.facts.ids) {
          if (fact.task !== undefined && families.has(fact.family)) citing.add(`${doc.path}#${fact.task}`);
        }
      }
      for (const { doc, task, index } of trace.allTasks) {
        if (task.parent !== undefined || citing.has(`${doc.path}#${index}`)) continue;
        yield {
          ...where,
          file: doc.path,
          range: toRange(task.span),
          message: `${task.label ?? 'task'} cites no requirement (e.g. "(Acceptance: FR-1)")`,
        };
      }
    }
  },
});
