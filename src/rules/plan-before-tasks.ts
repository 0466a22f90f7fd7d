import { docStarted, docsOfKind } from '../model/progress.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE019',
  name: 'plan-before-tasks',
  description: 'Tasks are cut only from a plan that has content.',
  article: 'VII',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      const tasks = docsOfKind(session, 'tasks').filter(
        (d) => d.facts.tasks.length > 0 && docStarted(d.facts),
      );
      if (tasks.length === 0) continue;
      if (docsOfKind(session, 'plan').some((d) => docStarted(d.facts))) continue;
      for (const doc of tasks) {
        yield {
          ...where,
          file: doc.path,
          range: headRange(doc.facts),
          message: 'tasks exist but the plan is missing or empty',
        };
      }
    }
  },
});
