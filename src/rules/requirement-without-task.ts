import { toRange } from '../pipeline/facts.ts';
import { docsOfKind } from '../workspace/progress.ts';
import { traceOf } from '../workspace/trace.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE012',
  name: 'requirement-without-task',
  description: 'Every requirement the spec defines is cited by at least one task.',
  article: 'VIII',
  defaultSeverity: 'warning',
  *check({ workspace, config }) {
    const families = new Set(config.ids.needTasks);
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      // Until tasks are cut there is nothing to trace to; required-doc covers a missing tasks doc.
      if (trace.allTasks.length === 0 || docsOfKind(session, 'tasks').length === 0) continue;
      for (const [key, [def]] of trace.requirements) {
        if (!def || !families.has(def.fact.family) || trace.citedByTasks.has(key)) continue;
        yield {
          ...where,
          file: def.doc.path,
          range: toRange(def.fact.span),
          message: `${def.fact.id} is not cited by any task`,
        };
      }
    }
  },
});
