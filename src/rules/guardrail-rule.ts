import { toRange } from '../pipeline/facts.ts';
import type { GuardrailKind } from '../pipeline/guardrails.ts';
import { defineRule, type Rule, type RuleMeta } from './rule.ts';
import { forEachSession } from './sessions.ts';

/** A rule reporting one kind of guardrail hit found during extraction, with its own wording. */
export const guardrailRule = (
  kind: GuardrailKind,
  meta: RuleMeta,
  message: (phrase: string) => string,
): Rule =>
  defineRule({
    ...meta,
    *check({ workspace }) {
      for (const { session, where } of forEachSession(workspace)) {
        for (const doc of session.docs) {
          for (const hit of doc.facts.guardrails) {
            if (hit.kind === kind)
              yield { ...where, file: doc.path, range: toRange(hit.span), message: message(hit.phrase) };
          }
        }
      }
    },
  });
