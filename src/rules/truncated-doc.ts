import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE032',
  name: 'truncated-doc',
  description: 'No doc is cut short by a note such as "(rest of spec content unchanged)".',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        for (const hit of doc.facts.scaffolds) {
          if (hit.kind !== 'truncated') continue;
          yield {
            ...where,
            file: doc.path,
            range: toRange(hit.span),
            message: `the doc was cut short here ("${hit.text}"): whatever followed is gone; restore it from history`,
          };
        }
      }
    }
  },
});
