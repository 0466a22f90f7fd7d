import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE025',
  name: 'instruction-leakage',
  description: 'Docs hold no agent system prompts or chat transcripts pasted from a model session.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        for (const hit of doc.facts.guardrails) {
          if (hit.kind !== 'instruction-leakage') continue;
          yield {
            ...where,
            file: doc.path,
            range: toRange(hit.span),
            message: `agent instruction text in a doc ("${hit.phrase}"); keep prompts and transcripts out of pipeline docs`,
          };
        }
      }
    }
  },
});
