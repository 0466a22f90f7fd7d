import { traceOf } from '../model/trace.ts';
import { uncoveredRequirements } from './coverage.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE015',
  name: 'requirement-without-test',
  description: 'Every requirement the spec defines is covered by the test plan.',
  article: 'IV',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const families = new Set(config.ids.needTests);
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      // A missing test plan is one finding of required-doc, not one per requirement.
      if (!trace.hasTestPlan) continue;
      for (const finding of uncoveredRequirements(trace, families, trace.citedByTests, recommended, {
        uncited: (id) => `${id} is not covered by the test plan`,
        unchecked: (family, n) =>
          `the test plan cites no ${family} requirement at all, so which of the spec's ${n} ${family} ${n === 1 ? 'requirement is' : 'requirements are'} tested is not checked`,
      }))
        yield { ...where, ...finding };
    }
  },
});
