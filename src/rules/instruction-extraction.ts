import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE026',
  name: 'instruction-extraction',
  description:
    'Docs hold no phrasing aimed at steering or extracting from the agents that read them (prompt injection).',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        for (const hit of doc.facts.guardrails) {
          if (hit.kind !== 'instruction-extraction') continue;
          yield {
            ...where,
            file: doc.path,
            range: toRange(hit.span),
            message: `text aimed at the agents reading this doc ("${hit.phrase}"); remove it or quote it in a code span`,
          };
        }
      }
    }
  },
});
