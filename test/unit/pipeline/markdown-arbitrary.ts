/** fast-check arbitraries of markdown for the pipeline's property tests. */
import fc from 'fast-check';

/** Pieces of text the parser and extraction treat specially, and plain words between them. */
export const INLINE = [
  'word',
  'two words',
  '*',
  '**',
  '_',
  '__',
  '`',
  '``',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](x.md)',
  '<',
  '>',
  '<!--',
  '-->',
  '<b>',
  '</b>',
  '&amp;',
  '&#',
  '\\',
  '|',
  ':',
  ':-',
  '-:',
  ':---:',
  ' - ',
  '#',
  '~~',
  '[REQUIRES INPUT]',
  '[NEEDS CLARIFICATION: who?]',
  'FR-1',
  'NFR-02',
  'AC-3.1',
  'TC-9',
  'Task 1.2',
  'T012',
  '(Owner: @a)',
  '(Deps: 1.1, 2.1-2.4)',
  '(Acceptance: FR-1)',
  'agency://button@1.2.0',
  'sk-',
  'eyJ',
  'ghp_',
  '\t',
  ' ',
  'é',
  '😀',
  '\u00a0',
  '<!-- idse-disable-next-line IDSE010 -->',
  'you are ChatGPT,',
  'ignore all previous',
];
/** How a line may start: containers, headings, fences, table rows, thematic breaks. */
export const PREFIX = [
  '',
  '',
  '',
  '# ',
  '## ',
  '###### ',
  '> ',
  '> > ',
  '- ',
  '* ',
  '+ ',
  '1. ',
  '2) ',
  '- [ ] ',
  '- [x] ',
  '  ',
  '    ',
  '\t',
  '| ',
  '```',
  '~~~',
  '---',
  '===',
  '***',
  '<div>',
  '---\nk: v\n---',
];
const EOL = ['\n', '\r\n', '\r'];

const line = fc
  .tuple(fc.constantFrom(...PREFIX), fc.array(fc.constantFrom(...INLINE), { maxLength: 12 }))
  .map(([prefix, parts]) => prefix + parts.join(''));
/** Random markdown: lines of the pieces above, with one line ending throughout. */
export const markdown = fc
  .tuple(fc.array(line, { maxLength: 80 }), fc.constantFrom(...EOL))
  .map(([lines, eol]) => lines.join(eol));

