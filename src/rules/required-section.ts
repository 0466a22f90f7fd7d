import { docStarted, isBlueprint, isClosed, primaryDoc } from '../model/progress.ts';
import { headingMatches } from '../pipeline/headings.ts';
import type { DocKind } from '../pipeline/stages.ts';
import { type CompiledFamily, sectionFamilies } from './required-sections.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

const KINDS: DocKind[] = ['intent', 'context', 'spec', 'plan', 'test-plan', 'implementation', 'feedback'];

/**
 * The family the headings fit: one they complete, else the one with the most sections present (the
 * first on a tie). A spec-kit spec is then not judged by the IDSE template, nor an IDSE spec by spec-kit's.
 */
function bestFit(keys: readonly string[], families: readonly CompiledFamily[]) {
  let best: { family: CompiledFamily; missing: string[]; present: number } | undefined;
  for (const family of families) {
    const missing = family.sections
      .filter((section) => !keys.some((key) => headingMatches(key, section)))
      .map((section) => section.title);
    const present = family.sections.length - missing.length;
    if (missing.length === 0) return { family, missing };
    if (!best || present > best.present) best = { family, missing, present };
  }
  return best;
}

const quoteAll = (titles: readonly string[]): string => {
  const quoted = titles.map((t) => `'## ${t}'`);
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
};

export default defineRule({
  code: 'IDSE008',
  name: 'required-section',
  description: 'A pipeline doc has every section of its template.',
  article: 'III',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      // The blueprint's docs describe the product, in whatever sections suit it.
      if (recommended && isBlueprint(session)) continue;
      // A closed session's docs are its record; reshaping them is seldom worth it.
      const historical = recommended && isClosed(session);
      for (const kind of KINDS) {
        const doc = primaryDoc(session, kind);
        // A doc still in template state has its template's sections (doc-not-started speaks for it), and
        // a truncated one misses them because it was cut short (truncated-doc names the cause).
        if (!doc) continue;
        if (
          recommended &&
          (!docStarted(doc.facts) || doc.facts.scaffolds.some((x) => x.kind === 'truncated'))
        )
          continue;
        const keys = doc.facts.headings.filter((h) => h.depth >= 2 && h.depth <= 3).map((h) => h.key);
        const families = sectionFamilies(config, kind);
        const fit = bestFit(keys, families);
        if (!fit || fit.missing.length === 0) continue;
        const which = families.length > 1 ? ` (${fit.family.name} template)` : '';
        yield {
          ...where,
          file: doc.path,
          range: headRange(doc.facts),
          ...(historical ? { severity: 'info' as const } : {}),
          message: `missing ${fit.missing.length === 1 ? 'section' : 'sections'} ${quoteAll(fit.missing)}${which}`,
        };
      }
    }
  },
});
