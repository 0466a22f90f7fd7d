import { traceOf } from '../model/trace.ts';
import { uncoveredRequirements } from './coverage.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE012',
  name: 'requirement-without-task',
  description: 'Every requirement the spec defines is cited by at least one task.',
  article: 'VIII',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const families = new Set(config.ids.needTasks);
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      // Until tasks are cut there is nothing to trace to; required-doc covers a missing tasks doc.
      if (trace.allTasks.length === 0) continue;
      for (const finding of uncoveredRequirements(trace, families, trace.citedByTasks, recommended, {
        uncited: (id) => `${id} is not cited by any task`,
        unchecked: (family, n) =>
          `no task cites any ${family} requirement, so which of the spec's ${n} ${family} ${n === 1 ? 'requirement has' : 'requirements have'} tasks is not checked`,
      }))
        yield { ...where, ...finding };
    }
  },
});
