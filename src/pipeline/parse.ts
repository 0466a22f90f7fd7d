import type { Root } from 'mdast';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkParse from 'remark-parse';
import type { Processor } from 'unified';
import { unified } from 'unified';

/**
 * The GFM and front-matter syntax pipeline docs use: tables, task list items and YAML front matter,
 * registered the way remark-gfm and remark-frontmatter register theirs. The rest of GFM (autolink
 * literals, strikethrough, footnotes) changes nothing rules look at and nearly doubles parse time.
 * `tables: false` leaves out the table construct, for text that cannot hold a table.
 */
export function remarkIdseSyntax(this: Processor, options: { tables: boolean }): void {
  const data = this.data();
  data.micromarkExtensions = [
    ...(data.micromarkExtensions ?? []),
    ...(options.tables ? [gfmTable()] : []),
    gfmTaskListItem(),
    frontmatter(['yaml']),
  ];
  data.fromMarkdownExtensions = [
    ...(data.fromMarkdownExtensions ?? []),
    ...(options.tables ? [gfmTableFromMarkdown()] : []),
    gfmTaskListItemFromMarkdown(),
    frontmatterFromMarkdown(['yaml']),
  ];
}

/** Frozen once: building a processor per doc would repeat the extension set-up thousands of times. */
const withTables = unified().use(remarkParse).use(remarkIdseSyntax, { tables: true }).freeze();
const withoutTables = unified().use(remarkParse).use(remarkIdseSyntax, { tables: false }).freeze();

/**
 * What every table holds: a pipe, or (a one-column table without any) a delimiter cell with a colon
 * (`:-`, `-:`); a `---` alone under a line is a heading underline.
 */
const MAY_HOLD_TABLE = /\||:-|-:/;

/**
 * Markdown text → mdast with positions (line, column and offset on every node). GFM's table construct
 * is tried at the start of every paragraph line: a doc that cannot hold a table is parsed without it
 * (the same tree, sooner).
 */
export const parseMarkdown = (text: string): Root =>
  (MAY_HOLD_TABLE.test(text) ? withTables : withoutTables).parse(text);
