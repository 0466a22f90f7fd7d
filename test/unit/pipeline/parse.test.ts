import fc from 'fast-check';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { delimiterRowLines, parseMarkdown, remarkIdseSyntax } from '../../../src/pipeline/parse.ts';
import { markdown } from './markdown-arbitrary.ts';

/** The parser with every construct, tables included, for every text: what the gate must agree with. */
const always = unified().use(remarkParse).use(remarkIdseSyntax).freeze();

/** Tables without a pipe: one column, a delimiter cell with a colon. */
const PIPELESS_TABLES = ['a\n:-:', 'a\n:--', 'a\n--:', '> a\n> :-', '- a\n  -:'];

/**
 * Lines made of table pieces, in containers, with every line ending (mixed): tables, near misses,
 * body rows without pipes, lazy lines and rows whose cell counts differ.
 */
const TABLE_PIECES = [
  '|',
  ' | ',
  'a',
  'b c',
  '-',
  '--',
  '---',
  ':',
  ':-',
  '-:',
  ':--:',
  '\\|',
  '`|`',
  '\t',
  '\u2028',
];
const TABLE_PREFIXES = ['', '', '', '> ', '>', '- ', '  ', '1. ', '   ', '    ', '# ', '```'];
const tableLine = fc
  .tuple(fc.constantFrom(...TABLE_PREFIXES), fc.array(fc.constantFrom(...TABLE_PIECES), { maxLength: 8 }))
  .map(([prefix, parts]) => prefix + parts.join(''));
const cells = (parts: readonly string[], piped: boolean): string =>
  piped ? `| ${parts.join(' | ')} |` : parts.join(' | ');
/** A head row, a delimiter row whose cell count may differ, and body rows, in one container or lazily after it. */
const tableBlock = fc
  .record({
    prefix: fc.constantFrom('', '', '> ', '- ', '  ', '1. ', '    '),
    rest: fc.constantFrom('', '', '> ', '  ', '   '),
    head: fc.array(fc.constantFrom('a', 'b c', '`x|y`', '\\|', ''), { minLength: 1, maxLength: 3 }),
    extra: fc.constantFrom(0, 0, 0, 1, -1),
    delimiter: fc.constantFrom('-', '---', ':-', '-:', ':-:', '--:'),
    piped: fc.boolean(),
    body: fc.array(fc.array(fc.constantFrom('1', 'two', '|', ''), { maxLength: 3 }), { maxLength: 3 }),
  })
  .map(({ prefix, rest, head, extra, delimiter, piped, body }) =>
    [
      prefix + cells(head, piped),
      rest +
        cells(
          Array.from({ length: Math.max(1, head.length + extra) }, () => delimiter),
          piped,
        ),
      ...body.map((row) => rest + cells(row, piped)),
    ].join('\n'),
  );
const tableText = fc
  .array(fc.tuple(fc.oneof(tableBlock, tableLine), fc.constantFrom('\n', '\r\n', '\r', '\n\n')), {
    maxLength: 12,
  })
  .map((lines) => lines.map(([line, eol]) => line + eol).join(''));

const holdsTable = (text: string): boolean => JSON.stringify(always.parse(text)).includes('"table"');

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

  it('tries a table only above a possible delimiter row, and parses every text as the full parser does', () => {
    let tables = 0;
    fc.assert(
      fc.property(tableText, (text) => {
        if (holdsTable(text)) tables++;
        expect(parseMarkdown(text)).toEqual(always.parse(text));
      }),
      { numRuns: 2000 },
    );
    // The property has teeth only if texts with tables are common among the ones tried.
    expect(tables).toBeGreaterThan(200);
  });

  it('numbers lines as micromark does', () => {
    expect([...delimiterRowLines('a|b\r\n-|-\r\r|--|\n\n> :-\u2028x')]).toEqual([2, 4, 6]);
    expect([...delimiterRowLines('a\n---\n===\n- -\n|x|\n:')]).toEqual([]);
    expect([...delimiterRowLines('a\u2028-|-')]).toEqual([1]);
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
