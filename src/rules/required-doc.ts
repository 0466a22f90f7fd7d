import type { SessionModel } from '../model/model.ts';
import { docsOfKind, isBlueprint, isClosed, stageReached } from '../model/progress.ts';
import { headingMatches } from '../pipeline/headings.ts';
import { STAGES, stageIndex } from '../pipeline/stages.ts';
import { templateSection } from './required-sections.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

/** The plan plans the tests itself: a `Test Strategy` section (or a synonym) with content. */
function planCoversTests(session: SessionModel): boolean {
  const strategy = templateSection('plan', 'Test Strategy');
  return docsOfKind(session, 'plan').some((plan) =>
    plan.facts.headings.some((h) => h.filled && headingMatches(h.key, strategy)),
  );
}

export default defineRule({
  code: 'IDSE007',
  name: 'required-doc',
  description: 'A session that has reached a stage has the docs of every stage before it.',
  article: 'VII',
  defaultSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const reached = stageReached(session);
      if (!reached) continue;
      for (const stage of STAGES.slice(0, stageIndex(reached))) {
        if (docsOfKind(session, stage).length === 0) {
          yield {
            ...where,
            file: session.dir,
            message: `session has reached '${reached}' but has no ${stage} doc`,
          };
        }
      }
      // Article IV: tests are planned before tasks are cut. Upstream plans often carry a Test Strategy
      // section instead of a test plan, which recommended accepts; strict wants plans/test-plan.md.
      if (stageIndex(reached) < stageIndex('plan') || docsOfKind(session, 'test-plan').length > 0) continue;
      if (recommended && (planCoversTests(session) || isBlueprint(session))) continue;
      yield {
        ...where,
        file: session.dir,
        ...(recommended ? { severity: isClosed(session) ? ('info' as const) : ('warning' as const) } : {}),
        message: recommended
          ? 'session has a plan but no test plan (plans/test-plan.md) and the plan has no test strategy'
          : 'session has a plan but no test plan (plans/test-plan.md)',
      };
    }
  },
});
