import { headingSatisfies } from '../pipeline/headings.ts';
import type { DocKind } from '../pipeline/stages.ts';
import { primaryDoc } from '../workspace/progress.ts';
import { requiredSections } from './required-sections.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

const KINDS: DocKind[] = ['intent', 'context', 'spec', 'plan', 'test-plan', 'implementation', 'feedback'];

export default defineRule({
  code: 'IDSE008',
  name: 'required-section',
  description: 'A pipeline doc has every section of its template.',
  article: 'III',
  defaultSeverity: 'warning',
  *check({ workspace, config }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const kind of KINDS) {
        const doc = primaryDoc(session, kind);
        if (!doc) continue;
        const keys = doc.facts.headings.filter((h) => h.depth >= 2 && h.depth <= 3).map((h) => h.key);
        const at = headRange(doc.facts);
        for (const section of requiredSections(config, kind)) {
          if (!keys.some((key) => headingSatisfies(key, section))) {
            yield { ...where, file: doc.path, range: at, message: `missing section '## ${section}'` };
          }
        }
      }
    }
  },
});
