import { describe, expect, it } from 'vitest';
import { isSmall, measureDoc } from '../../../src/pipeline/limits.ts';
import { parseMarkdown } from '../../../src/pipeline/parse.ts';

/** 40 list items, each nested in the one before: deep for the parser wherever it is read as markdown. */
const DEEP_LIST = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
/** An ASCII diagram as plans draw them: deep indentation, pipes, brackets. */
const DIAGRAM = Array.from({ length: 30 }, (_, i) => `${' '.repeat(20 + (i % 10))}│ [box ${i}] | -> |`).join(
  '\n',
);

const nesting = (text: string) => measureDoc(text).nesting;

/** The depth of the deepest list the parser builds: what the measure must never fall below. */
function parsedDepth(text: string): number {
  let deepest = 0;
  const walk = (node: { type: string; children?: unknown[] }, depth: number): void => {
    const here = node.type === 'list' || node.type === 'blockquote' ? depth + 1 : depth;
    deepest = Math.max(deepest, here);
    for (const child of (node.children ?? []) as Array<{ type: string; children?: unknown[] }>)
      walk(child, here);
  };
  walk(parseMarkdown(text), 0);
  return deepest;
}

describe('measureDoc', () => {
  it('does not count a fenced code block at the margin: a diagram is not deep nesting', () => {
    const doc = `# Plan\n\n## Architecture\n\n\`\`\`text\n${DIAGRAM}\n\`\`\`\n\nDone.\n`;
    expect(isSmall(measureDoc(doc))).toBe(true);
    expect(nesting(doc)).toBe(0);
    // The same lines outside a fence still measure as what they could be.
    expect(isSmall(measureDoc(`# Plan\n\n${DIAGRAM}\n`))).toBe(false);
  });

  it('counts what follows the closing fence, and a fence closed by a longer run of its own mark only', () => {
    expect(nesting(`\`\`\`\ncode\n\`\`\`\n${DEEP_LIST}`)).toBeGreaterThanOrEqual(40);
    expect(nesting(`~~~~\n~~~\n\`\`\`\`\n~~~~~\n${DEEP_LIST}`)).toBeGreaterThanOrEqual(40);
  });

  // Each is a way a fence-like line is not a fence to the parser: the lines after it are markdown,
  // and the measure must see the deep list they hold.
  const DISGUISED: Array<[string, string]> = [
    ['inside an HTML block that ends at its tag', `<pre>\n\`\`\`\n</pre>\n${DEEP_LIST}`],
    ['inside a comment', `<!-- note\n\`\`\`\n-->\n${DEEP_LIST}`],
    ['inside an HTML block ended by a blank line only', `<div>\n\u00a0\n\`\`\`\n\n${DEEP_LIST}`],
    ['inside front matter', `---\ntitle: x\n\`\`\`\n---\n${DEEP_LIST}`],
    ['indented (a list item may own it)', `- item\n\n  \`\`\`\n${DEEP_LIST}`],
    ['a backtick run with a backtick after it (inline code)', `\`\`\`a\`b\n${DEEP_LIST}`],
  ];
  for (const [what, text] of DISGUISED) {
    it(`measures the lines after a fence-like line ${what}`, () => {
      expect(parsedDepth(text)).toBeGreaterThanOrEqual(40);
      expect(nesting(text)).toBeGreaterThanOrEqual(40);
    });
  }

  // Where the parser does read a fence but the scan cannot be sure of it, it measures the lines.
  const UNSURE: Array<[string, string]> = [
    ['`<!-->`, a comment that may or may not end there', `<!-->\n\`\`\`\n${DEEP_LIST}`],
    ['front matter closed by a fence with trailing blanks', `---\n--- \n\`\`\`\n${DEEP_LIST}`],
  ];
  for (const [what, text] of UNSURE) {
    it(`errs on the safe side after ${what}`, () => {
      expect(parsedDepth(text)).toBe(0);
      expect(nesting(text)).toBeGreaterThanOrEqual(40);
    });
  }
});
