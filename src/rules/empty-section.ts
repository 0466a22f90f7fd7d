import { docStarted, isClosed } from '../model/progress.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE009',
  name: 'empty-section',
  description: 'A section has content, not just a heading.',
  article: 'III',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const historical = recommended && isClosed(session);
      for (const doc of session.docs) {
        // Metadata notes are free-form; only pipeline docs follow a template. An untouched template's
        // empty sections are one doc-not-started finding, not one per heading.
        if (doc.kind === 'meta' || (recommended && !docStarted(doc.facts))) continue;
        for (const heading of doc.facts.headings) {
          if (heading.depth >= 2 && heading.empty) {
            yield {
              ...where,
              file: doc.path,
              range: toRange(heading.span),
              ...(historical ? { severity: 'info' as const } : {}),
              message: `section '${heading.text}' is empty`,
            };
          }
        }
      }
    }
  },
});
