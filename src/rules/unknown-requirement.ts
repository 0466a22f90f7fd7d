import { docStarted, docsOfKind } from '../model/progress.ts';
import { traceOf } from '../model/trace.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE013',
  name: 'unknown-requirement',
  description: 'Every requirement ID a doc cites is defined in the session’s spec.',
  article: 'I',
  defaultSeverity: 'error',
  *check({ workspace, config }) {
    const families = new Set(config.ids.requirements);
    for (const { session, where } of forEachSession(workspace)) {
      // Without a spec that says anything, required-doc and doc-not-started speak for the session.
      if (!docsOfKind(session, 'spec').some((d) => docStarted(d.facts))) continue;
      const trace = traceOf(session, config);
      for (const doc of session.docs) {
        if (doc.kind === 'spec' || doc.kind === 'intent' || doc.kind === 'context') continue;
        // A template's `(Acceptance: FR-1)` is a placeholder, not a citation.
        if (!docStarted(doc.facts)) continue;
        for (const fact of doc.facts.ids) {
          if (!families.has(fact.family) || trace.requirements.has(fact.key)) continue;
          yield {
            ...where,
            file: doc.path,
            range: toRange(fact.span),
            message: `${fact.id} is not defined in the spec`,
          };
        }
      }
    }
  },
});
