import { docStarted, primaryDoc, stagePassed, stageReached } from '../model/progress.ts';
import { DOC_KINDS, stageOfKind } from '../pipeline/stages.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE030',
  name: 'doc-not-started',
  description:
    'A session that has moved past a stage has real content in that stage’s doc, not just its template.',
  article: 'VII',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const kind of DOC_KINDS) {
        if (stageOfKind(kind) === undefined || !stagePassed(session, kind)) continue;
        const doc = primaryDoc(session, kind);
        if (!doc || docStarted(doc.facts)) continue;
        // Placeholder text written in is template-scaffold's finding, with the text quoted.
        if (doc.facts.scaffolds.some((s) => s.kind !== 'truncated')) continue;
        yield {
          ...where,
          file: doc.path,
          range: headRange(doc.facts),
          message: `the session has reached '${stageReached(session)}' but its ${kind} doc has no real content yet`,
        };
      }
    }
  },
});
