import { posix } from 'node:path';
import { resolveLink } from '../model/links.ts';
import { docStarted, docsOfKind } from '../model/progress.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE018',
  name: 'spec-not-traced-to-intent',
  description: 'The spec links to the intent it serves.',
  article: 'I',
  // Upstream specs rarely link their intent; the link is cheap to add but nothing breaks without it.
  defaultSeverity: 'info',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      const intents = new Set(docsOfKind(session, 'intent').map((d) => d.path));
      if (intents.size === 0) continue;
      for (const spec of docsOfKind(session, 'spec')) {
        if (!docStarted(spec.facts)) continue;
        const dir = posix.dirname(spec.path);
        const traced = spec.facts.links.some((link) => intents.has(resolveLink(spec.path, link.url) ?? ''));
        if (traced) continue;
        yield {
          ...where,
          file: spec.path,
          range: headRange(spec.facts),
          message: `spec does not link to its intent; add "Traces to: [intent](${posix.relative(dir, [...intents][0]!)})"`,
        };
      }
    }
  },
});
