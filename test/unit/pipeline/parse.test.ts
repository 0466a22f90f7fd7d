import fc from 'fast-check';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, remarkIdseSyntax } from '../../../src/pipeline/parse.ts';
import { markdown } from './markdown-arbitrary.ts';

/** The parser with every construct, tables included, for every text: what the gate must agree with. */
const always = unified().use(remarkParse).use(remarkIdseSyntax, { tables: true }).freeze();

/** Tables without a pipe: one column, a delimiter cell with a colon. */
const PIPELESS_TABLES = ['a\n:-:', 'a\n:--', 'a\n--:', '> a\n> :-', '- a\n  -:'];

/** Texts near a table that hold no pipe and no colon beside a dash: delimiter-like lines in containers. */
const NEAR_TABLES = [
  'a\n-',
  'a\n---',
  'a b\n--- ---',
  'a\n: -',
  'a\n- :',
  'a\n- -',
  '> a\n> ---',
  '- a\n  :-:',
  '1. a\n   ---\n   b',
  'a\n===',
  'a\\\n---',
  '`a`\n---',
  'a:\n---',
];

describe('parseMarkdown', () => {
  it('reads tables', () => {
    const tree = parseMarkdown('| a | b |\n| --- | :-: |\n| 1 | 2 |\n');
    expect(tree.children.map((c) => c.type)).toEqual(['table']);
  });

  it('reads tables without a pipe', () => {
    for (const text of PIPELESS_TABLES) {
      const tree = parseMarkdown(text);
      expect(tree, text).toEqual(always.parse(text));
      expect(JSON.stringify(tree), text).toContain('"table"');
    }
  });

  it('parses text that cannot hold a table as the full parser does', () => {
    for (const text of NEAR_TABLES) expect(parseMarkdown(text), text).toEqual(always.parse(text));
    fc.assert(
      fc.property(
        markdown.map((text) => text.replace(/\||:-|-:/g, '')),
        (text) => {
          expect(parseMarkdown(text)).toEqual(always.parse(text));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
