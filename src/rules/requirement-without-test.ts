import { toRange } from '../pipeline/facts.ts';
import { traceOf } from '../workspace/trace.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE015',
  name: 'requirement-without-test',
  description: 'Every requirement the spec defines is covered by the test plan.',
  article: 'IV',
  defaultSeverity: 'warning',
  *check({ workspace, config }) {
    const families = new Set(config.ids.needTests);
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      // A missing test plan is one finding of required-doc, not one per requirement.
      if (!trace.hasTestPlan) continue;
      for (const [key, [def]] of trace.requirements) {
        if (!def || !families.has(def.fact.family) || trace.citedByTests.has(key)) continue;
        yield {
          ...where,
          file: def.doc.path,
          range: toRange(def.fact.span),
          message: `${def.fact.id} is not covered by the test plan`,
        };
      }
    }
  },
});
