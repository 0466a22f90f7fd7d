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
import {
  findMarkers,
  findSuppressions,
  headingText,
  isPlaceholderLine,
  LeadingMarkup,
  withoutComments,
} from './text-scan.ts';

export interface ExtractOptions {
  ids: IdPatterns;
}

const TASK_REF = /\bTask\s+(\d+(?:\.\d+)*)\b|\bT(\d{3,4})\b/g;

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

interface Frame {
  node: Nodes;
  state: WalkState;
  patch?: Partial<WalkState>;
}

/** Whether a sorted list of line numbers holds one in `from..to`. */
function hasLineIn(sorted: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! <= to;
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
  const markup = new LeadingMarkup(text);
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
        leading: state.blockStart !== NOT_LEADING && markup.leads(state.blockStart, at),
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

  // The tree is walked with a stack, not recursion: 10,000 nested `>` or list items would overflow
  // the call stack. Children are visited in order, each with the state its parent gave it; a
  // `patch` is applied when the child is visited, as a recursive call would have spread it then.
  const stack: Frame[] = [];
  const push = (
    children: readonly Nodes[],
    state: WalkState,
    patch?: (child: Nodes) => Partial<WalkState>,
  ) => {
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      stack.push(patch ? { node: child, state, patch: patch(child) } : { node: child, state });
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
            push(node.children, state, () => ({ inDesignLink: true }));
            return;
          }
        }
        break;
      case 'heading': {
        const title = headingText(text.slice(start, end));
        push(node.children, { ...state, blockStart: start, phase: title });
        state.phase = title;
        return;
      }
      case 'listItem':
        if (typeof node.checked === 'boolean') {
          const index = facts.tasks.length;
          facts.tasks.push(taskFact(node, text, lines, state, index));
          push(node.children, state, (child) => ({
            task: index,
            blockStart: child.position?.start.offset ?? start,
          }));
          return;
        }
        break;
      case 'paragraph': {
        const blockStart = afterCheckbox(text, start);
        push(node.children, state, () => ({ blockStart }));
        return;
      }
      case 'tableRow':
        // Only the first column of a table names what a row defines; later cells cite.
        for (let i = node.children.length - 1; i >= 0; i--) {
          const cell = node.children[i]!;
          const blockStart = i === 0 ? (cell.position?.start.offset ?? start) : NOT_LEADING;
          push(cell.children, state, () => ({ blockStart, inTable: true }));
        }
        return;
    }
    if ('children' in node) push(node.children as RootContent[], state);
  };

  push(tree.children, { blockStart: 0 });
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    visit(frame.node, frame.patch ? { ...frame.state, ...frame.patch } : frame.state);
  }
  // A section still holding a marker (its own or a subsection's) is not filled in yet.
  const markerLines = facts.markers.map((m) => m[0]).sort((a, b) => a - b);
  for (const h of facts.headings) {
    if (h.filled && hasLineIn(markerLines, h.span[0] + 1, h.endLine)) h.filled = false;
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
    const title = headingText(text.slice(start, end));
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
      text: title,
      key: headingKey(title),
      span: lines.span(start, end),
      empty,
      filled: !empty && hasRealContent(text.slice(end, bodyEnd)),
      endLine,
    });
  });
  return headings;
}

/** Whether a section body says anything beyond template placeholders. */
function hasRealContent(body: string): boolean {
  return withoutComments(body)
    .split('\n')
    .some((line) => !isPlaceholderLine(line));
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

/** The first task item below `node`, in document order. */
function findNestedTask(node: Nodes): Nodes | undefined {
  const stack: Nodes[] = [node];
  for (let current = stack.pop(); current; current = stack.pop()) {
    if (current !== node && current.type === 'listItem' && typeof current.checked === 'boolean')
      return current;
    if (!('children' in current)) continue;
    const children = current.children as Nodes[];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}

function parseSuppressions(html: string, start: number, lines: LineIndex): SuppressionFact[] {
  const found: SuppressionFact[] = [];
  for (const m of findSuppressions(html)) {
    const endLine = lines.position(start + m.end).line;
    found.push({
      kind: m.kind,
      rules: m.rules.split(/[\s,]+/).filter(Boolean),
      line: m.kind === 'disable-next-line' ? endLine + 1 : lines.position(start + m.start).line,
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
  for (const m of findMarkers(text.slice(start, end)))
    facts.markers.push(lines.span(start + m.start, start + m.end));
}
