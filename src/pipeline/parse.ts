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
 */
function remarkIdseSyntax(this: Processor): void {
  const data = this.data();
  data.micromarkExtensions = [
    ...(data.micromarkExtensions ?? []),
    gfmTable(),
    gfmTaskListItem(),
    frontmatter(['yaml']),
  ];
  data.fromMarkdownExtensions = [
    ...(data.fromMarkdownExtensions ?? []),
    gfmTableFromMarkdown(),
    gfmTaskListItemFromMarkdown(),
    frontmatterFromMarkdown(['yaml']),
  ];
}

/** Frozen once: building a processor per doc would repeat the extension set-up thousands of times. */
const processor = unified().use(remarkParse).use(remarkIdseSyntax).freeze();

/** Markdown text → mdast with positions (line, column and offset on every node). */
export const parseMarkdown = (text: string): Root => processor.parse(text);
