import type { Root } from 'mdast';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Construct, Event, Extension, Tokenizer } from 'micromark-util-types';
import remarkParse from 'remark-parse';
import type { Processor } from 'unified';
import { unified } from 'unified';

export interface IdseSyntaxOptions {
  /**
   * Lines (from 1) a table's delimiter row may be on: a table is tried only on the line above one.
   * Every line, when left out.
   */
  tableRows?: ReadonlySet<number>;
}

/**
 * The GFM and front-matter syntax pipeline docs use: tables, task list items and YAML front matter,
 * registered the way remark-gfm and remark-frontmatter register theirs. The rest of GFM (autolink
 * literals, strikethrough, footnotes) changes nothing rules look at and nearly doubles parse time.
 */
export function remarkIdseSyntax(this: Processor, options: IdseSyntaxOptions = {}): void {
  const data = this.data();
  const tables = options.tableRows?.size !== 0;
  data.micromarkExtensions = [
    ...(data.micromarkExtensions ?? []),
    ...(tables ? [options.tableRows ? tableAbove(options.tableRows) : gfmTable()] : []),
    gfmTaskListItem(),
    frontmatter(['yaml']),
  ];
  data.fromMarkdownExtensions = [
    ...(data.fromMarkdownExtensions ?? []),
    ...(tables ? [gfmTableFromMarkdown()] : []),
    gfmTaskListItemFromMarkdown(),
    frontmatterFromMarkdown(['yaml']),
  ];
}

/**
 * GFM's table construct, tried as a head row only on the line above a possible delimiter row.
 * micromark tries a table (it is keyed on no character) at the start of every flow line, paragraph
 * continuations included, and the construct reads the whole line as a head row before the next line
 * turns it down: in a doc with one table, every line was read twice. A head row's delimiter row is
 * the next line and may not be lazy, so no other line can start a table. A body row (after a
 * table's head or rows) is tried as before.
 */
function tableAbove(delimiterRows: ReadonlySet<number>): Extension {
  const table = gfmTable().flow?.null as Construct;
  const tokenize: Tokenizer = function (effects, ok, nok) {
    return inTable(this.events) || delimiterRows.has(this.now().line + 1)
      ? table.tokenize.call(this, effects, ok, nok)
      : nok;
  };
  return { flow: { null: [{ ...table, tokenize }] } };
}

/** Whether the flow so far ends in a table's head or row, past line endings and prefixes (as the construct asks). */
function inTable(events: readonly Event[]): boolean {
  for (let index = events.length - 1; index > -1; index--) {
    const type = events[index]![1].type;
    if (type !== 'lineEnding' && type !== 'linePrefix') return type === 'tableHead' || type === 'tableRow';
  }
  return false;
}

/**
 * Lines that may be a delimiter row: only blanks, pipes, colons and dashes after container prefixes
 * (`>` and indentation), with a dash and a pipe or colon. One character class, so a long line costs
 * one pass; `^` and `$` also break at U+2028, which can only add candidates. Lines are counted as
 * micromark counts them.
 */
const DELIMITER_LIKE = /^[ \t>|:-]+$/gm;

export function delimiterRowLines(text: string): Set<number> {
  const rows = new Set<number>();
  let line = 1;
  let counted = 0;
  for (const match of text.matchAll(DELIMITER_LIKE)) {
    const row = match[0];
    if (!row.includes('-') || !(row.includes('|') || row.includes(':'))) continue;
    line += lineEndingsIn(text, counted, match.index);
    counted = match.index;
    rows.add(line);
  }
  return rows;
}

/** Line endings in `text[from..to)` as micromark counts them: CRLF, CR or LF. `to` starts a line. */
function lineEndingsIn(text: string, from: number, to: number): number {
  let endings = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) endings++;
    else if (code === 13) {
      endings++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return endings;
}

/**
 * Markdown text → mdast with positions (line, column and offset on every node). A processor is made
 * per doc, for its table rows (~1 µs); a doc without a possible delimiter row is parsed without the
 * table construct (the same tree, sooner).
 */
export const parseMarkdown = (text: string): Root =>
  unified()
    .use(remarkParse)
    .use(remarkIdseSyntax, { tableRows: delimiterRowLines(text) })
    .parse(text);
