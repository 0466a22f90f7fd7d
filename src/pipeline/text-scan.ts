/**
 * The doc-text patterns extraction looks for, matched in linear time. Doc text is untrusted (a pull
 * request from a fork is enough to put it in front of the App), and the obvious regular expressions
 * for these shapes backtrack: `<!--[\s\S]*?-->` over 400 KB of `<!--` took 21 s. Each matcher here
 * finds exactly what its regular expression (quoted above it) found, scanning the text once.
 */

const SPACE = /\s/;
const isSpace = (ch: string | undefined): boolean => ch !== undefined && SPACE.test(ch);

export interface TextMatch {
  start: number;
  end: number;
}

const MARKER_WORDS = ['[REQUIRES INPUT', '[NEEDS CLARIFICATION'] as const;

/**
 * `[REQUIRES INPUT]` (IDSE) and `[NEEDS CLARIFICATION: …]` (spec-kit), as
 * `/\[(?:REQUIRES INPUT|NEEDS CLARIFICATION)(?::[^\]\n]*)?\]/g`. A `:` opens a note that runs to the
 * first `]` or line end; where that is, is remembered, so a line of unclosed notes is read once.
 */
export function findMarkers(text: string): TextMatch[] {
  const found: TextMatch[] = [];
  let noteEnd = -1;
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) {
    const word = MARKER_WORDS.find((w) => text.startsWith(w, at));
    if (!word) continue;
    const after = at + word.length;
    if (text[after] === ']') {
      found.push({ start: at, end: after + 1 });
      at = after;
      continue;
    }
    if (text[after] !== ':') continue;
    if (noteEnd <= after) noteEnd = firstOf(text, after + 1, ']', '\n');
    if (text[noteEnd] === ']') {
      found.push({ start: at, end: noteEnd + 1 });
      at = noteEnd;
    }
  }
  return found;
}

/** Index of the first `a` or `b` at or after `from`; the text's length when there is neither. */
function firstOf(text: string, from: number, a: string, b: string): number {
  const i = text.indexOf(a, from);
  const j = text.indexOf(b, from);
  if (i === -1) return j === -1 ? text.length : j;
  return j === -1 ? i : Math.min(i, j);
}

/** The text without its HTML comments, as `text.replace(/<!--[\s\S]*?-->/g, '')`. */
export function withoutComments(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('<!--'); open !== -1; open = text.indexOf('<!--', from)) {
    const close = text.indexOf('-->', open + 4);
    // No comment closes after this one opens, so none after it does either.
    if (close === -1) break;
    out += text.slice(from, open);
    from = close + 3;
  }
  return from === 0 ? text : out + text.slice(from);
}

const SUPPRESSION_HEAD = /<!--\s*idse-(disable-next-line|disable|enable)\b/;

export interface SuppressionMatch extends TextMatch {
  kind: 'disable-next-line' | 'disable' | 'enable';
  /** What stands between the kind and the closing `-->`: the rules it names. */
  rules: string;
}

/**
 * Suppression comments in an HTML node, as `/<!--\s*idse-(disable-next-line|disable|enable)\b([^>]*?)-->/g`.
 * A match cannot contain `>` before its closing `-->`, so each one lies between two `>` and ends at
 * the second: the text is cut there, and each piece is matched once.
 */
export function findSuppressions(html: string): SuppressionMatch[] {
  const found: SuppressionMatch[] = [];
  let from = 0;
  for (let gt = html.indexOf('>'); gt !== -1; from = gt + 1, gt = html.indexOf('>', from)) {
    const close = gt - 2;
    if (close < from || html[close] !== '-' || html[close + 1] !== '-') continue;
    const head = SUPPRESSION_HEAD.exec(html.slice(from, close));
    if (!head) continue;
    const start = from + head.index;
    found.push({
      kind: head[1] as SuppressionMatch['kind'],
      rules: html.slice(start + head[0].length, close),
      start,
      end: gt + 1,
    });
  }
  return found;
}

/**
 * A heading's text without its ATX markers, as `raw.replace(/^#+\s*|\s*#*\s*$/g, '')`: leading
 * `#`s and the space after them, and a closing run of `#`s with the space around it.
 */
export function headingText(raw: string): string {
  let start = 0;
  if (raw[0] === '#') {
    while (raw[start] === '#') start++;
    while (start < raw.length && isSpace(raw[start])) start++;
  }
  let end = raw.length;
  while (end > start && isSpace(raw[end - 1])) end--;
  while (end > start && raw[end - 1] === '#') end--;
  while (end > start && isSpace(raw[end - 1])) end--;
  return raw.slice(start, end);
}

/** Template placeholders a line may hold instead of content (the `[NEEDS CLARIFICATION…]` note aside). */
const PLACEHOLDER =
  /TODO|TBD|\[REQUIRES INPUT\]|\.\.\.|…|^[\s>*+-]*(?:\[[ xX]\]\s*)?\[[^\]]*\][\s.:]*$|^[\s|:*#>+-]*$/;
const CLARIFICATION = '[NEEDS CLARIFICATION';

/**
 * A line that holds only a template placeholder. `[NEEDS CLARIFICATION[^\]]*\]` is a `]` anywhere
 * after the first opening, so it is found with two searches instead of a scan from every opening.
 */
export function isPlaceholderLine(line: string): boolean {
  if (PLACEHOLDER.test(line)) return true;
  const at = line.indexOf(CLARIFICATION);
  return at !== -1 && line.indexOf(']', at + CLARIFICATION.length) !== -1;
}

/** What may stand before an ID that is the first thing in its block: markup, not words. */
const PREFIX_CHAR = /[\s#*_`>[(|]/;

/**
 * Where the markup a block starts with ends: an ID before that offset is the first thing in its
 * block (`LEADING_PREFIX.test(text.slice(blockStart, at))`). Remembered per block, so a paragraph of
 * a thousand IDs is scanned once, not once per ID.
 */
export class LeadingMarkup {
  private readonly ends = new Map<number, number>();
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Whether only markup stands between `blockStart` and `at`. */
  leads(blockStart: number, at: number): boolean {
    let end = this.ends.get(blockStart);
    if (end === undefined) {
      end = blockStart;
      while (end < this.text.length && PREFIX_CHAR.test(this.text[end]!)) end++;
      this.ends.set(blockStart, end);
    }
    return at <= end;
  }
}
