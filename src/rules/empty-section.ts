import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE009',
  name: 'empty-section',
  description: 'A section has content, not just a heading.',
  article: 'III',
  defaultSeverity: 'warning',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        // Metadata notes are free-form; only pipeline docs follow a template.
        if (doc.kind === 'meta') continue;
        for (const heading of doc.facts.headings) {
          if (heading.depth >= 2 && heading.empty) {
            yield {
              ...where,
              file: doc.path,
              range: toRange(heading.span),
              message: `section '${heading.text}' is empty`,
            };
          }
        }
      }
    }
  },
});
