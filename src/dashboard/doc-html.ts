/**
 * One pipeline doc as HTML for the dashboard: markdown → mdast (the engine's own parser) → hast →
 * sanitized with GitHub's schema (hast-util-sanitize: no script, no event handlers, no `javascript:`
 * URLs), raw HTML in the markdown dropped, never passed through. The doc's findings are set after the
 * block that holds their line, as elements built here from plain text. Pure: no I/O; the dashboard
 * runs it in a worker thread with a time budget (doc-renderer.ts), since docs come from clients.
 */
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { defaultSchema, sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Yaml } from 'mdast';
import { type State, toHast } from 'mdast-util-to-hast';
import { parseMarkdown } from '../pipeline/parse.ts';

export interface DocFinding {
  code: string;
  severity: string;
  message: string;
  line?: number;
}

export interface DocToRender {
  /** Repository-relative path, to resolve the doc's relative links. */
  path: string;
  text: string;
  findings: readonly DocFinding[];
  /**
   * Where a repository path is shown at the doc's commit (`…/blob/<sha>/`), for relative links and
   * finding lines; none for a synced workspace (relative links then lead nowhere and lose their href).
   */
  fileBase?: string;
}

const el = (tagName: string, properties: Element['properties'], children: ElementContent[]): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const text = (value: string): ElementContent => ({ type: 'text', value });

/** YAML front matter as a code block, so it is seen (and findings on it have a place). */
const frontMatter = (state: State, node: Yaml): Element => {
  const block = el('pre', {}, [el('code', { className: ['language-yaml'] }, [text(node.value)])]);
  state.patch(node, block);
  return block;
};

/** Relative links as the files they name at the doc's commit, or no links at all (an explicit stack: docs nest deep). */
function resolveLinks(root: HastRoot, doc: DocToRender): void {
  const stack: (HastRoot | HastRoot['children'][number])[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type !== 'root' && node.type !== 'element') continue;
    if (node.type === 'element' && (node.tagName === 'a' || node.tagName === 'img')) {
      const key = node.tagName === 'a' ? 'href' : 'src';
      const target = node.properties[key];
      if (typeof target === 'string' && !/^[a-z][a-z0-9+.-]*:|^#|^\/\//i.test(target)) {
        const resolved = decodeURIComponent(new URL(target, `file:///${doc.path}`).pathname.slice(1));
        if (doc.fileBase) node.properties[key] = `${doc.fileBase}${encodeURI(resolved)}`;
        else delete node.properties[key];
      }
    }
    stack.push(...node.children);
  }
}

function findingBox(findings: readonly DocFinding[], doc: DocToRender): Element {
  return el(
    'ul',
    { className: ['findings'] },
    findings.map((f) => {
      const where =
        f.line && doc.fileBase
          ? el('a', { href: `${doc.fileBase}${encodeURI(doc.path)}#L${f.line}` }, [text(`line ${f.line}`)])
          : text(f.line ? `line ${f.line}` : 'whole doc');
      return el('li', { className: [`finding-${f.severity === 'error' ? 'error' : 'other'}`] }, [
        el('strong', {}, [text(`${f.severity} ${f.code}`)]),
        text(' '),
        where,
        text(`: ${f.message}`),
      ]);
    }),
  );
}

/** The doc as sanitized HTML with its findings after the blocks they point at. */
export function renderDocHtml(doc: DocToRender): string {
  const hast = toHast(parseMarkdown(doc.text), { handlers: { yaml: frontMatter } }) as HastRoot;
  resolveLinks(hast, doc);
  const blocks = hast.children.filter((c): c is Element => c.type === 'element');
  const byBlock = new Map<number, DocFinding[]>();
  const unplaced: DocFinding[] = [];
  for (const finding of doc.findings) {
    // The last block starting at or before the line: the one holding it, or the one just above.
    const at = finding.line
      ? blocks.findLastIndex((b) => (b.position?.start.line ?? Number.POSITIVE_INFINITY) <= finding.line!)
      : -1;
    if (at < 0) unplaced.push(finding);
    else byBlock.set(at, [...(byBlock.get(at) ?? []), finding]);
  }
  const parts: string[] = [];
  if (unplaced.length) parts.push(toHtml(findingBox(unplaced, doc)));
  blocks.forEach((block, i) => {
    parts.push(toHtml(sanitize({ type: 'root', children: [block] }, defaultSchema)));
    const here = byBlock.get(i);
    if (here) parts.push(toHtml(findingBox(here, doc)));
  });
  return parts.join('\n');
}
