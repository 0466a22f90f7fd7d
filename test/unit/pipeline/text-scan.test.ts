import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findMarkers,
  findSuppressions,
  headingText,
  isPlaceholderLine,
  LeadingMarkup,
  withoutComments,
} from '../../../src/pipeline/text-scan.ts';
import { ADVERSARIAL_MS, msToRun } from './elapsed.ts';

// The regular expressions these matchers replace. They are exact on short text and backtrack on
// long adversarial text; each matcher must agree with its regex everywhere, and stay linear.
const MARKER = /\[(?:REQUIRES INPUT|NEEDS CLARIFICATION)(?::[^\]\n]*)?\]/g;
const SUPPRESSION = /<!--\s*idse-(disable-next-line|disable|enable)\b([^>]*?)-->/g;
const HEADING_MARKS = /^#+\s*|\s*#*\s*$/g;
const COMMENT = /<!--[\s\S]*?-->/g;
const PLACEHOLDER_LINE =
  /TODO|TBD|\[REQUIRES INPUT\]|\[NEEDS CLARIFICATION[^\]]*\]|\.\.\.|…|^[\s>*+-]*(?:\[[ xX]\]\s*)?\[[^\]]*\][\s.:]*$|^[\s|:*#>+-]*$/;
const LEADING_PREFIX = /^[\s#*_`>[(|]*$/;

/** Text made of the pieces a pattern is sensitive to, so random strings hit its edge cases. */
const textOf = (...pieces: string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join(''));

const RUNS = { numRuns: 2000 };

describe('text matchers agree with the regular expressions they replace', () => {
  it('findMarkers', () => {
    const text = textOf('[REQUIRES INPUT', '[NEEDS CLARIFICATION', ':', ']', '[', '\n', ' a', 'x]');
    fc.assert(
      fc.property(text, (t) => {
        const expected = [...t.matchAll(MARKER)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
        expect(findMarkers(t)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('findSuppressions', () => {
    const text = textOf(
      '<!--',
      ' ',
      '\n',
      'idse-',
      'enable',
      'disable',
      '-next-line',
      'x',
      'IDSE001',
      '-',
      '--',
      '>',
      '-->',
    );
    fc.assert(
      fc.property(text, (t) => {
        const expected = [...t.matchAll(SUPPRESSION)].map((m) => ({
          kind: m[1],
          rules: m[2],
          start: m.index,
          end: m.index + m[0].length,
        }));
        expect(findSuppressions(t)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('headingText', () => {
    const text = textOf('#', '##', ' ', '\t', '\n', 'a', 'b c', '\u00a0', '=');
    fc.assert(
      fc.property(text, (t) => {
        expect(headingText(t)).toBe(t.replace(HEADING_MARKS, ''));
      }),
      RUNS,
    );
  });

  it('withoutComments', () => {
    const text = textOf('<!--', '-->', '<!-->', '-', '>', 'a', '\n', '<!---');
    fc.assert(
      fc.property(text, (t) => {
        expect(withoutComments(t)).toBe(t.replace(COMMENT, ''));
      }),
      RUNS,
    );
  });

  it('isPlaceholderLine', () => {
    const text = textOf(
      '[NEEDS CLARIFICATION',
      ']',
      '[',
      ' ',
      'x',
      '- ',
      '[ ] ',
      'TODO',
      '...',
      '|',
      ':',
      '.',
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(isPlaceholderLine(t)).toBe(PLACEHOLDER_LINE.test(t));
      }),
      RUNS,
    );
  });

  it('LeadingMarkup', () => {
    const text = textOf('#', '*', '_', '`', '>', '[', '(', '|', ' ', '\n', 'a', 'FR-1');
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, a, b) => {
        const [blockStart, at] = [Math.min(a, b) % (t.length + 1), Math.max(a, b) % (t.length + 1)];
        const leads = new LeadingMarkup(t).leads(blockStart, Math.max(blockStart, at));
        expect(leads).toBe(LEADING_PREFIX.test(t.slice(blockStart, Math.max(blockStart, at))));
      }),
      RUNS,
    );
  });
});

describe('text matchers on long adversarial text', () => {
  // Each input made its regular expression backtrack for tens of seconds or more; read once, it
  // takes milliseconds.
  const fast = (work: () => unknown) => expect(msToRun(work)).toBeLessThan(ADVERSARIAL_MS);

  it('findMarkers: a line of unclosed notes', () => {
    fast(() => findMarkers('[REQUIRES INPUT:'.repeat(30_000)));
    fast(() => findMarkers(`${'[NEEDS CLARIFICATION: '.repeat(30_000)}\n`));
  });

  it('findSuppressions: openings that never close', () => {
    fast(() => findSuppressions('<!--idse-enable\0s'.repeat(30_000)));
    fast(() => findSuppressions(`${'<!-- idse-disable x'.repeat(30_000)}->`));
  });

  it('headingText: a heading of whitespace', () => {
    fast(() => headingText(`#${'\t'.repeat(100_000)}\0`));
  });

  it('withoutComments: 400 KB of `<!--`', () => {
    fast(() => withoutComments('<!--'.repeat(100_000)));
  });

  it('isPlaceholderLine: openings without a closing bracket', () => {
    fast(() => isPlaceholderLine(`I${'.[NEEDS CLARIFICATIONR'.repeat(30_000)}`));
  });

  it('LeadingMarkup: a paragraph of IDs after a long run of markup', () => {
    const text = `${'('.repeat(30_000)} ${'FR-1 '.repeat(30_000)}`;
    fast(() => {
      const markup = new LeadingMarkup(text);
      for (let at = 30_001; at < text.length; at += 5) markup.leads(0, at);
    });
  });
});
