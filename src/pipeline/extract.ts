import type { Nodes, Paragraph, Root, RootContent } from 'mdast';
import { parse as parseYaml, YAMLError } from 'yaml';
import type { DocFacts, HeadingFact, PointerFact, Span, SuppressionFact, TaskFact } from './facts.ts';
import { findDesignRefs, findGuardrailHits, mayHoldGuardrailHits } from './guardrails.ts';
import { headingKey } from './headings.ts';
import { type IdPatterns, idKey, idRegex } from './ids.ts';
import { LineIndex } from './lines.ts';
import { findMarkers } from './markers.ts';
import { parseMarkdown } from './parse.ts';
import { findScaffolds, hasRealContent, isPlaceholderName } from './placeholders.ts';
import { findSecrets } from './secrets.ts';
import { parseDeps, parseField, parseMention, parseTaskLabel, TASK_REF, taskRefKey } from './task-fields.ts';
import { findSuppressions, headingText, LeadingMarkup } from './text-scan.ts';

export interface ExtractOptions {
  ids: IdPatterns;
}

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

/**
 * A node to visit with the state its parent gave it (`patch` is spread over `state` when it is
 * visited, as a recursive call would have), or a paragraph task with the list of fields under it.
 */
type Frame =
  | { node: Nodes; state: WalkState; patch?: Partial<WalkState> }
  | { task: Paragraph; fields: RootContent | undefined; state: WalkState };

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
    scaffolds: [],
    filled: false,
  };
  const addressesAgents = mayHoldGuardrailHits(text);
  const scanForAgents = (start: number, raw: string, withDesignRefs: boolean): void => {
    for (const hit of addressesAgents ? findGuardrailHits(raw) : []) {
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
      // `Task FR-1` names a requirement, not a task with a prefixed ID.
      if (m[1] !== undefined && idFamilies.has(m[1].split('-')[0]!.toUpperCase())) continue;
      const at = start + m.index;
      facts.taskRefs.push({ label: m[0], key: taskRefKey(m), span: lines.span(at, at + m[0].length) });
    }
    scanScaffolds(start, raw);
  };
  const scanScaffolds = (start: number, raw: string, only?: 'truncated'): void => {
    for (const hit of findScaffolds(raw)) {
      if (only && hit.kind !== only) continue;
      facts.scaffolds.push({
        kind: hit.kind,
        text: hit.text,
        span: lines.span(start + hit.start, start + hit.end),
      });
    }
  };
  const idFamilies = new Set([...options.ids.requirements, ...options.ids.tests]);

  // The tree is walked with a stack, not recursion: 10,000 nested `>` or list items would overflow
  // the call stack. Frames are pushed last child first, so they are visited in document order.
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
  /**
   * Block children. A paragraph that opens with a task ID (`[x] T5.1: …`, agency style) is a task,
   * and a list right under it holds that task's fields: both go on the stack as one frame.
   */
  const pushBlocks = (children: readonly RootContent[], state: WalkState): void => {
    const frames: Frame[] = [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (child.type === 'paragraph' && startsWithTaskLabel(child, text)) {
        const next = children[i + 1];
        frames.push({ task: child, fields: next?.type === 'list' ? next : undefined, state });
        if (next?.type === 'list') i++;
      } else frames.push({ node: child, state });
    }
    for (let i = frames.length - 1; i >= 0; i--) stack.push(frames[i]!);
  };
  const visitParagraphTask = (child: Paragraph, list: RootContent | undefined, state: WalkState): void => {
    // The list right under it holds the task's fields: its items up to the first task of its own.
    const items = list?.type === 'list' ? list.children : [];
    const own = items.findIndex(
      (item) => typeof item.checked === 'boolean' || startsWithTaskLabel(item.children[0], text),
    );
    const fields = items.slice(0, own === -1 ? items.length : own);
    const index = facts.tasks.length;
    facts.tasks.push(taskFact(paragraphExtent(child, fields.at(-1), text), text, lines, state, index));
    const inTask = { ...state, task: index };
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      stack.push(
        fields.includes(item)
          ? { node: item, state: inTask, patch: { blockStart: item.position?.start.offset ?? 0 } }
          : { node: item, state },
      );
    }
    stack.push({ node: child, state: inTask });
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
        // `<!-- rest of the doc unchanged -->` is a truncation all the same.
        scanScaffolds(start, text.slice(start, end), 'truncated');
        return;
      case 'strong': {
        const only = node.children.length === 1 ? node.children[0] : undefined;
        if (only?.type === 'text' && isPlaceholderName(only.value))
          facts.scaffolds.push({
            kind: 'placeholder',
            text: `**${only.value}**`,
            span: lines.span(start, end),
          });
        break;
      }
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
        // Later siblings share this state object: they are under this heading now.
        state.phase = title;
        return;
      }
      case 'listItem':
        // A GFM task item, or a plain item that starts with a task ID (`- T0.1: …`).
        if (typeof node.checked === 'boolean' || startsWithTaskLabel(node.children[0], text)) {
          const index = facts.tasks.length;
          facts.tasks.push(taskFact(itemExtent(node, text), text, lines, state, index));
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
    if ('children' in node) pushBlocks(node.children as RootContent[], state);
  };

  pushBlocks(tree.children, { blockStart: 0 });
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if ('task' in frame) visitParagraphTask(frame.task, frame.fields, frame.state);
    else visit(frame.node, frame.patch ? { ...frame.state, ...frame.patch } : frame.state);
  }
  // A section still holding a marker (its own or a subsection's) is not filled in yet.
  const markerLines = facts.markers.map((m) => m[0]).sort((a, b) => a - b);
  for (const h of facts.headings) {
    if (h.filled && hasLineIn(markerLines, h.span[0] + 1, h.endLine)) h.filled = false;
  }
  facts.filled = hasRealContent(bodyAfterTitle(text, tree), { headers: true });
  // A pointer is a few lines long; longer docs are never one.
  const pointer = lines.lineCount <= 16 ? findPointer(text, lines) : undefined;
  if (pointer) facts.pointer = pointer;
  return facts;
}

/** The doc below its front matter and title: where a doc without sections keeps its content. */
function bodyAfterTitle(text: string, tree: Root): string {
  const first = tree.children.find((n) => n.type !== 'yaml' && n.type !== 'html');
  const from =
    first?.type === 'heading' && first.depth === 1
      ? first.position?.end.offset
      : first?.position?.start.offset;
  return text.slice(from ?? text.length);
}

const LEGACY_NOTICE = /^\s*(?:#{1,6}\s*)?legacy (?:path )?notice\b/im;
const CANONICAL_TARGET =
  /\b(?:canonical (?:location|path)|moved to|now lives at)\s*(?::\s*)?`?([\w./-]+\.md)\b`?/i;

/**
 * A few lines saying the doc lives elsewhere ("Legacy path notice / Canonical location: …"): a pointer
 * left at an old path, not a doc of its own.
 */
function findPointer(text: string, lines: LineIndex): PointerFact | undefined {
  const body = text.split('\n').filter((l) => l.trim() !== '');
  if (body.length === 0 || body.length > 8) return undefined;
  const target = CANONICAL_TARGET.exec(text);
  if (!target && !LEGACY_NOTICE.test(text)) return undefined;
  if (!target) return { span: lines.span(0, 0) };
  const at = target.index + target[0].indexOf(target[1]!);
  return { target: target[1]!, span: lines.span(at, at + target[1]!.length) };
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

/** Where a task's text lies: the item, its first block (the lead) and its own text (no nested tasks). */
interface TaskExtent {
  start: number;
  leadStart: number;
  leadEnd: number;
  ownEnd: number;
  checked: boolean;
}

/** A task item's paragraph may open with its `[ ]` box; a plain item may end in "— done". */
const DONE = /(?:^|\s)✅|[—–-]\s*(?:done|completed?)\.?\s*$/i;

function itemExtent(node: Extract<Nodes, { type: 'listItem' }>, text: string): TaskExtent {
  const start = node.position?.start.offset ?? 0;
  const first = node.children[0];
  const leadStart = afterCheckbox(text, first?.position?.start.offset ?? start);
  const leadEnd = first?.position?.end.offset ?? leadStart;
  // The item's own text stops where a nested task item starts: that one carries its own fields.
  const nested = findNestedTask(node);
  const ownEnd = nested?.position?.start.offset ?? node.position?.end.offset ?? leadEnd;
  const checked =
    typeof node.checked === 'boolean' ? node.checked : DONE.test(text.slice(leadStart, leadEnd));
  return { start, leadStart, leadEnd, ownEnd, checked };
}

/** A paragraph task's extent; `lastField` is the last list item under it that holds its fields. */
function paragraphExtent(node: Paragraph, lastField: Nodes | undefined, text: string): TaskExtent {
  const start = node.position?.start.offset ?? 0;
  const leadEnd = node.position?.end.offset ?? start;
  const box = /^\[([ xX])\]/.exec(text.slice(start, start + 3));
  return {
    start,
    leadStart: afterCheckbox(text, start),
    leadEnd,
    ownEnd: lastField?.position?.end.offset ?? leadEnd,
    checked: box ? box[1] !== ' ' : DONE.test(text.slice(start, leadEnd)),
  };
}

/** Whether a block's text opens with a task ID (after an optional `[ ]` / `[x]`). */
function startsWithTaskLabel(node: Nodes | undefined, text: string): boolean {
  if (node?.type !== 'paragraph' || !node.position) return false;
  const start = afterCheckbox(text, node.position.start.offset ?? 0);
  return (
    parseTaskLabel(text.slice(start, Math.min(start + 40, node.position.end.offset ?? start))) !== undefined
  );
}

function taskFact(
  extent: TaskExtent,
  text: string,
  lines: LineIndex,
  state: WalkState,
  index: number,
): TaskFact {
  const own = text.slice(extent.leadStart, extent.ownEnd);
  const lead = text.slice(extent.leadStart, extent.leadEnd).replace(/\s+/g, ' ').trim();
  const label = parseTaskLabel(lead);
  const owner = parseField(own, 'Owner') ?? parseMention(lead);
  const deps = parseField(own, 'Deps');
  const acceptance = parseField(own, 'Acceptance');
  return {
    ...(label ?? {}),
    text: lead,
    checked: extent.checked,
    parallel: /\[P\]/.test(lead),
    ...(owner === undefined ? {} : { owner }),
    ...(deps === undefined ? {} : { deps: parseDeps(deps) }),
    ...(acceptance === undefined ? {} : { acceptance }),
    ...(state.phase === undefined ? {} : { phase: state.phase }),
    ...(state.task === undefined || state.task === index ? {} : { parent: state.task }),
    span: lines.span(extent.start, extent.leadEnd),
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
  for (const [from, to] of findMarkers(text, start, end)) facts.markers.push(lines.span(from, to));
}
