import type { Nodes, Root, RootContent } from 'mdast';
import { parse as parseYaml, YAMLError } from 'yaml';
import type { DocFacts, HeadingFact, Span, SuppressionFact, TaskFact } from './facts.ts';
import { findDesignRefs, findGuardrailHits } from './guardrails.ts';
import { headingKey } from './headings.ts';
import { type IdPatterns, idKey, idRegex } from './ids.ts';
import { LineIndex } from './lines.ts';
import { parseMarkdown } from './parse.ts';
import { findSecrets } from './secrets.ts';
import { parseDeps, parseField, parseMention, parseTaskLabel } from './task-fields.ts';

export interface ExtractOptions {
  ids: IdPatterns;
}

/** `[REQUIRES INPUT]` (IDSE) and `[NEEDS CLARIFICATION: …]` (spec-kit) both mark unresolved input. */
const MARKER = /\[(?:REQUIRES INPUT|NEEDS CLARIFICATION)(?::[^\]\n]*)?\]/g;
const SUPPRESSION = /<!--\s*idse-(disable-next-line|disable|enable)\b([^>]*?)-->/g;
/** What may stand before an ID that is the first thing in its block: markup, not words. */
const TASK_REF = /\bTask\s+(\d+(?:\.\d+)*)\b|\bT(\d{3,4})\b/g;
const LEADING_PREFIX = /^[\s#*_`>[(|]*$/;

/** Block start of a place where nothing can be defined (a table cell past the first column). */
const NOT_LEADING = -1;

/**
 * A task item's paragraph may start at its `[ ]` box (it does when the text opens with markup);
 * what the item says begins after it.
 */
const afterCheckbox = (text: string, start: number): number => {
  const box = /^\[[ xX]\][ \t]*/.exec(text.slice(start, start + 8));
  return box ? start + box[0].length : start;
};

interface WalkState {
  inTable?: boolean;
  inDesignLink?: boolean;
  phase?: string;
  blockStart: number;
  task?: number;
}

/** Parse one doc and pull out everything rules need. Pure: text in, facts out. */
export function extractFacts(text: string, options: ExtractOptions): DocFacts {
  const tree = parseMarkdown(text);
  const lines = new LineIndex(text);
  const facts: DocFacts = {
    lineCount: lines.lineCount,
    headings: collectHeadings(tree, text, lines),
    ids: [],
    tasks: [],
    markers: [],
    links: [],
    taskRefs: [],
    suppressions: [],
    secrets: findSecrets(text).map((s) => ({ kind: s.kind, span: lines.span(s.start, s.end) })),
    guardrails: [],
    designRefs: [],
  };
  const scanForAgents = (start: number, raw: string, withDesignRefs: boolean): void => {
    for (const hit of findGuardrailHits(raw)) {
      facts.guardrails.push({
        kind: hit.kind,
        phrase: hit.phrase,
        span: lines.span(start + hit.start, start + hit.end),
      });
    }
    if (!withDesignRefs) return;
    for (const ref of findDesignRefs(raw)) {
      facts.designRefs.push({
        component: ref.component,
        ...(ref.version ? { version: ref.version } : {}),
        span: lines.span(start + ref.start, start + ref.end),
      });
    }
  };
  const title = facts.headings.find((h) => h.depth === 1);
  if (title) facts.title = title.text;

  const idPattern = idRegex(options.ids);
  const scanText = (start: number, end: number, state: WalkState): void => {
    scanMarkers(text, start, end, lines, facts);
    const raw = text.slice(start, end);
    // A link to `agency://x` is already one reference; its text repeating the URL is not another.
    scanForAgents(start, raw, !state.inDesignLink);
    for (const m of raw.matchAll(idPattern)) {
      const at = start + m.index;
      facts.ids.push({
        id: m[0],
        key: idKey(m[1]!, m[2]!, m[3]),
        family: m[1]!,
        span: lines.span(at, at + m[0].length),
        leading: state.blockStart !== NOT_LEADING && LEADING_PREFIX.test(text.slice(state.blockStart, at)),
        ...(state.inTable ? { inTable: true } : {}),
        ...(state.task === undefined ? {} : { task: state.task }),
      });
    }
    for (const m of raw.matchAll(TASK_REF)) {
      const at = start + m.index;
      facts.taskRefs.push({
        label: m[0],
        key: m[1] ?? `T${Number(m[2])}`,
        span: lines.span(at, at + m[0].length),
      });
    }
  };

  const visit = (node: Nodes, state: WalkState): void => {
    const pos = node.position;
    if (!pos) return;
    const start = pos.start.offset ?? 0;
    const end = pos.end.offset ?? start;
    switch (node.type) {
      case 'text':
        scanText(start, end, state);
        return;
      case 'code':
      case 'inlineCode':
        return;
      case 'html':
        facts.suppressions.push(...parseSuppressions(node.value, start, lines));
        // Comments are invisible to reviewers but not to agents: the classic place to hide a prompt.
        scanForAgents(start, text.slice(start, end), false);
        return;
      case 'yaml':
        facts.frontMatter = parseFrontMatter(node.value, lines.span(start, end));
        scanMarkers(text, start, end, lines, facts);
        return;
      case 'link':
      case 'image':
      case 'definition':
        facts.links.push({ url: node.url, span: lines.span(start, end) });
        // `[button](agency://button)`: the reference lives in the URL, which text scanning misses.
        if (node.url.startsWith('agency://') && node.type !== 'image') {
          for (const ref of findDesignRefs(node.url)) {
            facts.designRefs.push({
              component: ref.component,
              ...(ref.version ? { version: ref.version } : {}),
              span: lines.span(start, end),
            });
          }
          if (node.type === 'link') {
            for (const child of node.children) visit(child, { ...state, inDesignLink: true });
            return;
          }
        }
        break;
      case 'heading': {
        const headingText = text.slice(start, end).replace(/^#+\s*|\s*#*\s*$/g, '');
        const next = { ...state, blockStart: start, phase: headingText };
        for (const child of node.children) visit(child, next);
        state.phase = headingText;
        return;
      }
      case 'listItem':
        if (typeof node.checked === 'boolean') {
          const index = facts.tasks.length;
          facts.tasks.push(taskFact(node, text, lines, state, index));
          for (const child of node.children)
            visit(child, { ...state, task: index, blockStart: child.position?.start.offset ?? start });
          return;
        }
        break;
      case 'paragraph':
        for (const child of node.children) visit(child, { ...state, blockStart: afterCheckbox(text, start) });
        return;
      case 'tableRow':
        // Only the first column of a table names what a row defines; later cells cite.
        node.children.forEach((cell, i) => {
          const cellStart = cell.position?.start.offset ?? start;
          for (const child of cell.children)
            visit(child, { ...state, blockStart: i === 0 ? cellStart : NOT_LEADING, inTable: true });
        });
        return;
    }
    if ('children' in node) for (const child of node.children as RootContent[]) visit(child, state);
  };

  const rootState: WalkState = { blockStart: 0 };
  for (const child of tree.children) visit(child, rootState);
  // A section still holding a marker (its own or a subsection's) is not filled in yet.
  for (const h of facts.headings) {
    if (h.filled && facts.markers.some((m) => m[0] > h.span[0] && m[0] <= h.endLine)) h.filled = false;
  }
  return facts;
}

function collectHeadings(tree: Root, text: string, lines: LineIndex): HeadingFact[] {
  const nodes = tree.children;
  const headings: HeadingFact[] = [];
  nodes.forEach((node, i) => {
    if (node.type !== 'heading' || !node.position) return;
    const start = node.position.start.offset ?? 0;
    const end = node.position.end.offset ?? start;
    const headingText = text.slice(start, end).replace(/^#+\s*|\s*#*\s*$/g, '');
    let empty = true;
    let endLine = lines.lineCount;
    for (let j = i + 1; j < nodes.length; j++) {
      const next = nodes[j]!;
      if (next.type === 'heading' && next.depth <= node.depth) {
        endLine = Math.max(node.position.end.line, (next.position?.start.line ?? endLine) - 1);
        break;
      }
      if (!(next.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(next.value))) empty = false;
    }
    const bodyEnd = lines.offsetOfLine(endLine + 1) ?? text.length;
    headings.push({
      depth: node.depth,
      text: headingText,
      key: headingKey(headingText),
      span: lines.span(start, end),
      empty,
      filled: !empty && hasRealContent(text.slice(end, bodyEnd)),
      endLine,
    });
  });
  return headings;
}

const COMMENT = /<!--[\s\S]*?-->/g;
const PLACEHOLDER_LINE =
  /TODO|TBD|\[REQUIRES INPUT\]|\[NEEDS CLARIFICATION[^\]]*\]|\.\.\.|…|^[\s>*+-]*(?:\[[ xX]\]\s*)?\[[^\]]*\][\s.:]*$|^[\s|:*#>+-]*$/;

/** Whether a section body says anything beyond template placeholders. */
function hasRealContent(body: string): boolean {
  return body
    .replace(COMMENT, '')
    .split('\n')
    .some((line) => !PLACEHOLDER_LINE.test(line));
}

function taskFact(
  node: Extract<Nodes, { type: 'listItem' }>,
  text: string,
  lines: LineIndex,
  state: WalkState,
  index: number,
): TaskFact {
  const start = node.position?.start.offset ?? 0;
  const first = node.children[0];
  const firstStart = afterCheckbox(text, first?.position?.start.offset ?? start);
  const firstEnd = first?.position?.end.offset ?? firstStart;
  // The item's own text stops where a nested task item starts: that one carries its own fields.
  const nestedTask = findNestedTask(node);
  const ownEnd = nestedTask?.position?.start.offset ?? node.position?.end.offset ?? firstEnd;
  const own = text.slice(firstStart, ownEnd);
  const lead = text.slice(firstStart, firstEnd).replace(/\s+/g, ' ').trim();
  const label = parseTaskLabel(lead);
  const owner = parseField(own, 'Owner') ?? parseMention(lead);
  const deps = parseField(own, 'Deps');
  const acceptance = parseField(own, 'Acceptance');
  return {
    ...(label ?? {}),
    text: lead,
    checked: node.checked === true,
    parallel: /\[P\]/.test(lead),
    ...(owner === undefined ? {} : { owner }),
    ...(deps === undefined ? {} : { deps: parseDeps(deps) }),
    ...(acceptance === undefined ? {} : { acceptance }),
    ...(state.phase === undefined ? {} : { phase: state.phase }),
    ...(state.task === undefined || state.task === index ? {} : { parent: state.task }),
    span: lines.span(start, firstEnd),
  };
}

function findNestedTask(node: Nodes): Nodes | undefined {
  if (!('children' in node)) return undefined;
  for (const child of node.children as Nodes[]) {
    if (child.type === 'listItem' && typeof child.checked === 'boolean') return child;
    const found = findNestedTask(child);
    if (found) return found;
  }
  return undefined;
}

function parseSuppressions(html: string, start: number, lines: LineIndex): SuppressionFact[] {
  const found: SuppressionFact[] = [];
  for (const m of html.matchAll(SUPPRESSION)) {
    const endLine = lines.position(start + m.index + m[0].length).line;
    found.push({
      kind: m[1] as SuppressionFact['kind'],
      rules: m[2]!.split(/[\s,]+/).filter(Boolean),
      line: m[1] === 'disable-next-line' ? endLine + 1 : lines.position(start + m.index).line,
    });
  }
  return found;
}

/** Alias bombs and huge documents are refused by the YAML parser's own limits. */
function parseFrontMatter(value: string, span: Span): NonNullable<DocFacts['frontMatter']> {
  try {
    return { span, data: parseYaml(value, { maxAliasCount: 100, uniqueKeys: true }) ?? {} };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    // YAML counts from the first line inside the `---` fences; the doc counts from its own start.
    const at = error instanceof YAMLError ? error.linePos?.[0] : undefined;
    return {
      span,
      error: message.replace(/ at line \d+, column \d+:?$/, ''),
      ...(at ? { errorSpan: [span[0] + at.line, at.col, span[0] + at.line, at.col + 1] as const } : {}),
    };
  }
}

function scanMarkers(text: string, start: number, end: number, lines: LineIndex, facts: DocFacts): void {
  const raw = text.slice(start, end);
  for (const m of raw.matchAll(MARKER))
    facts.markers.push(lines.span(start + m.index, start + m.index + m[0].length));
}
