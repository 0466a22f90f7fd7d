import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

/** Frozen once: building a processor per doc would repeat the extension set-up thousands of times. */
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();

/** Markdown text → mdast with positions (line, column and offset on every node). */
export const parseMarkdown = (text: string): Root => processor.parse(text);
