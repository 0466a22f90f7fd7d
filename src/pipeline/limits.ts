/**
 * What a doc may hold before the engine will parse it. The markdown parser is linear on ordinary
 * prose but not on every input: 16 KB of `a\n=\n` took 12 s, a 1,000-level list 61 s and 538 MB, a
 * wide table 3.5 GB. Each limit below caps one such shape, and one linear scan of the text measures
 * all of them before parsing starts. What no scan can foresee is caught by the time budget
 * (`parseMs`), which the facts workers enforce (src/run/facts-pool.ts).
 */

export interface ParseLimits {
  /** Lines (`\n`, `\r\n` and a lone `\r` each end one). */
  maxLines: number;
  /** Block quotes and list items inside each other. */
  maxNesting: number;
  /** Cells of one table. */
  maxTableCells: number;
  /** Emphasis and link marks (`*`/`_` runs, `[`, `]`) in one paragraph. */
  maxInlineMarks: number;
  /** Headings underlined with `===` or `---`. */
  maxSetextHeadings: number;
  /**
   * What extraction found in one doc: IDs, tasks, links, markers, headings and the like. Checked
   * after parsing: facts travel from a worker to the engine's thread, and rules read them there.
   */
  maxItems: number;
  /** Milliseconds one doc may take to parse and extract. */
  parseMs: number;
}

export type LimitName = keyof ParseLimits;

/** Defaults and the bounds a config may set, chosen so no setting makes the engine unsafe. */
export const LIMITS: { readonly [K in LimitName]: { default: number; min: number; max: number } } = {
  maxLines: { default: 10_000, min: 100, max: 200_000 },
  maxNesting: { default: 32, min: 4, max: 256 },
  maxTableCells: { default: 5_000, min: 100, max: 100_000 },
  maxInlineMarks: { default: 2_000, min: 100, max: 50_000 },
  maxSetextHeadings: { default: 500, min: 10, max: 10_000 },
  maxItems: { default: 20_000, min: 1_000, max: 200_000 },
  parseMs: { default: 1_000, min: 100, max: 10_000 },
};

export const DEFAULT_LIMITS: ParseLimits = {
  maxLines: LIMITS.maxLines.default,
  maxNesting: LIMITS.maxNesting.default,
  maxTableCells: LIMITS.maxTableCells.default,
  maxInlineMarks: LIMITS.maxInlineMarks.default,
  maxSetextHeadings: LIMITS.maxSetextHeadings.default,
  maxItems: LIMITS.maxItems.default,
  parseMs: LIMITS.parseMs.default,
};

/** What the scan measured; each field is compared with the limit of the same shape. */
export interface DocMeasure {
  /** UTF-16 code units, as the parser reads them. */
  chars: number;
  /**
   * Characters that make the parser try a construct (`[`, `]`, `\`, `&`, `<`, `!`): a run of them
   * costs it 20 to 50 times what plain text does. Not limited; it decides what is small.
   */
  markupChars: number;
  lines: number;
  nesting: number;
  tableCells: number;
  inlineMarks: number;
  setextHeadings: number;
}

const MEASURED: ReadonlyArray<readonly [keyof DocMeasure, LimitName]> = [
  ['lines', 'maxLines'],
  ['nesting', 'maxNesting'],
  ['tableCells', 'maxTableCells'],
  ['inlineMarks', 'maxInlineMarks'],
  ['setextHeadings', 'maxSetextHeadings'],
];

/** A limit a doc is past: which, what the doc has, and what is allowed. */
export interface LimitBreach {
  limit: LimitName | 'memory';
  actual: number;
  max: number;
}

/** The first limit the doc is past, if any. */
export function breachedLimit(measure: DocMeasure, limits: ParseLimits): LimitBreach | undefined {
  for (const [field, limit] of MEASURED) {
    if (measure[field] > limits[limit]) return { limit, actual: measure[field], max: limits[limit] };
  }
  return undefined;
}

/**
 * Well inside every limit: the parser takes milliseconds on such a doc (the fuzz suite holds it to
 * that), so a command may parse it on its own thread without a budget. Anything larger is parsed
 * by a worker that can be stopped.
 */
const SMALL: DocMeasure = {
  chars: 64 * 1024,
  markupChars: 4096,
  lines: 1_000,
  nesting: 8,
  tableCells: 1_000,
  inlineMarks: 256,
  setextHeadings: 32,
};

export const isSmall = (measure: DocMeasure): boolean =>
  (Object.keys(SMALL) as Array<keyof DocMeasure>).every((k) => measure[k] <= SMALL[k]);

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;

/**
 * Measures the shapes the limits cap, in one pass over the text. It over-counts where a precise
 * count would need parsing (a list marker in a code block counts as nesting, pipes in a code block
 * as table cells), never under-counts: the scan must not be fooled into letting a costly doc through.
 */
export function measureDoc(text: string): DocMeasure {
  const measure: DocMeasure = {
    chars: text.length,
    markupChars: 0,
    lines: 1,
    nesting: 0,
    tableCells: 0,
    inlineMarks: 0,
    setextHeadings: 0,
  };
  let table = 0;
  let marks = 0;
  let previousBlank = true;
  let start = 0;
  const literal = new LiteralBlocks(text);
  while (start <= text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== LF && text.charCodeAt(end) !== CR) end++;
    if (literal.holds(start, end)) {
      // Code the parser copies as it is: nothing in it nests, opens a table or marks text.
      table = 0;
      marks = 0;
      previousBlank = true;
      if (end >= text.length) break;
      start = end + (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? 2 : 1);
      measure.lines++;
      continue;
    }
    const line = scanLine(text, start, end);

    measure.nesting = Math.max(measure.nesting, line.nesting);
    measure.markupChars += line.markupChars;
    table = line.pipes > 0 ? table + line.pipes + 1 : 0;
    measure.tableCells = Math.max(measure.tableCells, table);
    // A paragraph's marks add up over its lines; a blank line or a new block starts another.
    marks = line.blank || line.opensBlock ? line.marks : marks + line.marks;
    measure.inlineMarks = Math.max(measure.inlineMarks, marks);
    if (line.underline && !previousBlank) measure.setextHeadings++;
    previousBlank = line.blank;

    if (end >= text.length) break;
    start = end + (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? 2 : 1);
    measure.lines++;
  }
  return measure;
}

/**
 * Which lines are inside a fenced code block opened at the left margin, which the parser reads as
 * literal text up to its closing fence or the end of the doc: ASCII diagrams and JSON samples no
 * longer measure as deep nesting or wide tables. Only fences no other block can hold count: none
 * inside front matter or an HTML block (each tracked to its end as CommonMark ends it), none
 * indented (a list item may own it) and no backtick fence whose info has a backtick (inline code).
 * A misread would undercount what the parser faces, so every doubt leaves the line measured.
 */
class LiteralBlocks {
  private fence: { char: number; length: number } | undefined;
  /** What ends the HTML block the scan is in: a blank line, or a line holding this text. */
  private html: { endsWith: RegExp | 'blank' } | undefined;
  private frontMatter: boolean;
  private first = true;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
    this.frontMatter = /^---[ \t]*(?:\r?\n|\r)/.test(text);
  }

  /** Whether the line `start..end` is literal; called once per line, in order. */
  holds(start: number, end: number): boolean {
    const line = this.text.slice(start, end);
    const first = this.first;
    this.first = false;
    if (this.fence) {
      if (closesFence(line, this.fence)) this.fence = undefined;
      return true;
    }
    if (this.frontMatter) {
      // Only the fence the parser closes it with; a line it might not take for one keeps it open.
      if (!first && line === '---') this.frontMatter = false;
      return false;
    }
    if (this.html) {
      const { endsWith } = this.html;
      if (endsWith === 'blank' ? BLANK.test(line) : endsWith.test(line)) this.html = undefined;
      return false;
    }
    const opened = /^ {0,3}</.exec(line);
    if (opened) {
      const [endsWith, opener] = htmlBlockEnd(line.slice(opened[0].length - 1));
      // The end marker counts only past the opener: `<!-->` leaves the comment open.
      const rest = line.slice(opened[0].length - 1 + opener);
      if (endsWith === 'blank' || !endsWith.test(rest)) this.html = { endsWith };
      return false;
    }
    const open = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (!open || (open[1]![0] === '`' && open[2]!.includes('`'))) return false;
    this.fence = { char: open[1]!.charCodeAt(0), length: open[1]!.length };
    return true;
  }
}

/** A closing fence: up to three spaces, at least as many of the opening character, then blanks only. */
function closesFence(line: string, fence: { char: number; length: number }): boolean {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === SPACE) i++;
  let n = 0;
  while (line.charCodeAt(i + n) === fence.char) n++;
  return n >= fence.length && BLANK.test(line.slice(i + n));
}

/** Only spaces and tabs: what ends most HTML blocks (a no-break space does not). */
const BLANK = /^[ \t]*$/;

/**
 * How an HTML block that a line starting with `<` may open ends (CommonMark's seven kinds): at a
 * line holding its end marker, or at a blank line; and how long its opener is. Any other `<` line
 * is taken for the last kinds.
 */
function htmlBlockEnd(tag: string): [endsWith: RegExp | 'blank', opener: number] {
  if (/^<(?:pre|script|style|textarea)(?:[\s>]|$)/i.test(tag))
    return [/<\/(?:pre|script|style|textarea)>/i, 1];
  if (tag.startsWith('<!--')) return [/-->/, 4];
  if (tag.startsWith('<?')) return [/\?>/, 2];
  if (tag.startsWith('<![CDATA[')) return [/\]\]>/, 9];
  if (/^<![A-Za-z]/.test(tag)) return [/>/, 2];
  return ['blank', 1];
}

interface LineScan {
  blank: boolean;
  /** Starts with a container marker, a heading or a table row: a new inline context. */
  opensBlock: boolean;
  nesting: number;
  pipes: number;
  marks: number;
  markupChars: number;
  underline: boolean;
}

function scanLine(text: string, start: number, end: number): LineScan {
  let i = start;
  let columns = 0;
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) {
    columns += text.charCodeAt(i) === TAB ? 4 - (columns % 4) : 1;
    i++;
  }
  // `-` under a paragraph line underlines it (an empty list item is the other reading): both count.
  const underline = columns < 4 && isUnderline(text, i, end);
  // Each level of list nesting indents its content by at least two columns.
  let containers = 0;
  for (let next = containerMarkerEnd(text, i, end); next !== -1; next = containerMarkerEnd(text, i, end)) {
    containers++;
    i = next;
    while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  }
  const blank = i === end;
  let pipes = 0;
  let marks = 0;
  let markupChars = 0;
  let previous = -1;
  for (let j = start; j < end; j++) {
    const c = text.charCodeAt(j);
    if (
      c === 91 /* [ */ ||
      c === 93 /* ] */ ||
      c === 92 /* \ */ ||
      c === 38 /* & */ ||
      c === 60 /* < */ ||
      c === 33 /* ! */
    )
      markupChars++;
    if (j < i) continue;
    if (c === 124 /* | */) pipes++;
    else if (c === 91 || c === 93) marks++;
    // A run of `*` or `_` is one delimiter to the parser, however long.
    else if ((c === 42 /* * */ || c === 95) /* _ */ && c !== previous) marks++;
    previous = c;
  }
  return {
    blank,
    opensBlock: containers > 0 || pipes > 0 || text.charCodeAt(i) === 35 /* # */,
    nesting: Math.floor(columns / 2) + containers,
    pipes,
    marks,
    markupChars,
    underline,
  };
}

/** Where a block quote or list marker starting at `i` ends (and its content starts), or -1. */
function containerMarkerEnd(text: string, i: number, end: number): number {
  if (i >= end) return -1;
  const c = text.charCodeAt(i);
  if (c === 62 /* > */) return i + 1;
  const spaced = (at: number) => at === end || text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB;
  if ((c === 45 || c === 42 || c === 43) /* - * + */ && spaced(i + 1)) return i + 1;
  let j = i;
  while (j < end && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
  if (j > i && j < end && (text.charCodeAt(j) === 46 || text.charCodeAt(j) === 41) /* . ) */ && spaced(j + 1))
    return j + 1;
  return -1;
}

/** A run of `=` or of `-`, then only blanks: what underlines a setext heading. */
function isUnderline(text: string, i: number, end: number): boolean {
  const c = text.charCodeAt(i);
  if (c !== 61 /* = */ && c !== 45 /* - */) return false;
  let j = i;
  while (j < end && text.charCodeAt(j) === c) j++;
  while (j < end && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j++;
  return j === end;
}
