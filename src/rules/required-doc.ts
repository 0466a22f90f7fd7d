import { STAGES, stageIndex } from '../pipeline/stages.ts';
import { docsOfKind, stageReached } from '../workspace/progress.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE007',
  name: 'required-doc',
  description: 'A session that has reached a stage has the docs of every stage before it.',
  article: 'VII',
  defaultSeverity: 'error',
  *check({ workspace }) {
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
      // Article IV: tests are planned before tasks are cut. Upstream repos often lack one, so warn.
      if (stageIndex(reached) >= stageIndex('plan') && docsOfKind(session, 'test-plan').length === 0) {
        yield {
          ...where,
          file: session.dir,
          severity: 'warning',
          message: 'session has a plan but no test plan (plans/test-plan.md)',
        };
      }
    }
  },
});
