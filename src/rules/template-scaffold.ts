import { aheadOfFront, docStarted } from '../model/progress.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE031',
  name: 'template-scaffold',
  description:
    'No template scaffolding is left in a doc: unrendered `{{ variables }}`, `[Describe …]` instructions, placeholder names or stub text.',
  article: 'III',
  defaultSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        const hits = doc.facts.scaffolds.filter((s) => s.kind !== 'truncated');
        const [first] = hits;
        if (!first) continue;
        const ahead = aheadOfFront(session, doc.kind);
        const unrendered = hits.some((s) => s.kind === 'unrendered');
        // A template waiting for its stage is expected to hold placeholders; an unrendered variable
        // never is (whatever wrote the doc failed to render it).
        if (ahead && recommended && !unrendered) continue;
        const more = hits.length > 1 ? ` and ${hits.length - 1} more` : '';
        const what = first.kind === 'stub' ? 'stub text' : 'template placeholder';
        const empty = docStarted(doc.facts) ? '' : '; the doc has no content of its own yet';
        yield {
          ...where,
          file: doc.path,
          range: toRange(first.span),
          ...(ahead ? { severity: 'warning' as const } : {}),
          message: `${what} left in the doc: "${first.text}"${more}${empty}`,
        };
      }
    }
  },
});
