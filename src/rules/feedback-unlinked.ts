import { docStarted, docsOfKind } from '../model/progress.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE017',
  name: 'feedback-unlinked',
  description: 'Feedback cites the tasks or requirements it concerns, so it can flow back into the pipeline.',
  article: 'IX',
  // Upstream feedback often cites no IDs and is still useful feedback: a note under recommended.
  defaultSeverity: 'info',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const families = new Set(config.ids.requirements);
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of docsOfKind(session, 'feedback')) {
        if (!docStarted(doc.facts)) continue;
        const linked = doc.facts.taskRefs.length > 0 || doc.facts.ids.some((id) => families.has(id.family));
        if (linked) continue;
        yield {
          ...where,
          file: doc.path,
          range: headRange(doc.facts),
          message: 'feedback cites no task or requirement (e.g. "Task 1.2 / FR-1: …")',
        };
      }
    }
  },
});
