import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE023',
  name: 'secret-in-doc',
  description: 'Docs hold no credentials: pipeline docs are read by people, agents and mirrors.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        for (const secret of doc.facts.secrets) {
          yield {
            ...where,
            file: doc.path,
            range: toRange(secret.span),
            message: `possible ${secret.kind} in a doc; remove it and rotate the credential`,
          };
        }
      }
    }
  },
});
