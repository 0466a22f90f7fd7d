import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../src/pipeline/extract.ts';
import { DEFAULT_ID_PATTERNS } from '../../../src/pipeline/ids.ts';
import { ADVERSARIAL_MS, msToRun } from './elapsed.ts';

const facts = (md: string) => extractFacts(md, { ids: DEFAULT_ID_PATTERNS });

// Extraction walks the tree with a stack: a deep tree is as safe as a wide one.
describe('extraction of deep and adversarial docs', () => {
  it('walks 10,000 nested block quotes (10 KB) without running out of stack', () => {
    const f = facts(`${'>'.repeat(10_000)} FR-1 needs [REQUIRES INPUT]\n`);
    expect(f.ids.map((i) => i.id)).toEqual(['FR-1']);
    expect(f.markers).toHaveLength(1);
  });

  it('keeps each of 60 nested task items to its own fields', () => {
    const lines = Array.from(
      { length: 60 },
      (_, i) => `${'  '.repeat(i)}- [ ] Task ${i + 1} (Owner: o${i + 1})`,
    );
    const f = facts(`${lines.join('\n')}\n`);
    expect(f.tasks.map((t) => t.owner)).toEqual(lines.map((_, i) => `o${i + 1}`));
    expect(f.tasks.at(-1)?.parent).toBe(58);
  });

  it('reads a section of 400 KB of `<!--` at once', () => {
    const text = `# S\n\n## Goal\n\n${'<!--'.repeat(100_000)}\n`;
    let headings: ReturnType<typeof facts>['headings'] = [];
    expect(msToRun(() => (headings = facts(text).headings))).toBeLessThan(ADVERSARIAL_MS);
    expect(headings.map((h) => h.key)).toEqual(['s', 'goal']);
  });
});
