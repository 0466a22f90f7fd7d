import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FAMILIES } from '../../../src/rules/required-sections.ts';

const PAGE = readFileSync(new URL('../../../docs/rules/IDSE008.md', import.meta.url), 'utf8');

describe('the template families of required-section', () => {
  it('are documented on the rule page: every section with its synonyms', () => {
    const rows = new Set(PAGE.split('\n').filter((l) => l.startsWith('| ')));
    const missing: string[] = [];
    for (const [kind, families] of Object.entries(TEMPLATE_FAMILIES)) {
      for (const family of families ?? []) {
        for (const section of family.sections) {
          const row = [...rows].find((r) => r.includes(`| ${family.name} | ${section.title} |`));
          if (!row) {
            missing.push(`${kind}/${family.name}/${section.title}`);
            continue;
          }
          for (const name of section.names) {
            const shown = name.startsWith('=') ? `${name.slice(1)} (whole heading)` : name;
            if (!row.includes(shown)) missing.push(`${kind}/${section.title}: ${shown}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
