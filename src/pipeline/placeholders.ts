import { templateLineHash } from './template-line-key.ts';
import { TEMPLATE_LINE_HASHES } from './template-lines.ts';
import { isPlaceholderLine, withoutComments } from './text-scan.ts';

/**
 * What kind of leftover a scaffold finding is: an unrendered `{{ variable }}`, a template placeholder
 * (`[Describe …]`, `**ComponentName**`), stub prose that makes the whole doc a placeholder ("Placeholder
 * spec for the x session"), or a note that the doc was cut short.
 */
export type ScaffoldKind = 'unrendered' | 'placeholder' | 'stub' | 'truncated';

export interface ScaffoldHit {
  kind: ScaffoldKind;
  text: string;
  start: number;
  end: number;
}

/** `{{ project_name }}`: a template variable nobody rendered. */
const UNRENDERED = /\{\{\s*[\w.-]+(?:\s*\|[^{}\n]*|\s*)\}\}/g;

/** Placeholders templates ship: an instruction in brackets (`[Describe …]`), `[brief description]`, `[FEATURE NAME]`. */
const PLACEHOLDERS = [
  /\[(?:Describe|Summari[sz]e|Summary of|List|Explain|Insert|Enter|Provide|Write|Fill in|Add|Document|Outline|Define|Specify|Replace|Extract|Link to)\b[^[\]\n]*\]/g,
  /\[(?:brief|short|one-line)\s+(?:description|summary)\]/gi,
  /\[(?:[A-Z]+ )*(?:NAME|DATE|TITLE)\]/g,
];

/**
 * Stub prose written to get a doc past a validator: "Placeholder spec for the x session" or "Flesh out
 * tasks for …" opening a line, "satisfies validator structure only", "please populate this document".
 */
const STUBS = [
  /(?<=^[\s>*+-]*)placeholder\b[^.\n]{0,80}?\bfor\b[^.\n]{0,60}?\bsession\b/gim,
  /\bsatisf(?:y|ies|ying)\s+(?:the\s+)?(?:pipeline\s+)?validators?\b|\bvalidator structure only\b/gi,
  /(?<=^[\s>*+-]*(?:\[[ xX]\]\s*)?)flesh out (?:the )?(?:tasks|spec|plan|intent|context)\b/gim,
  /\bplease populate this (?:document|doc|file|section)\b/gi,
];

/** "(rest of spec content unchanged)": an agent cut the doc short instead of writing it out. */
const TRUNCATED =
  /(?:\(|\[|<!--)\s*(?:(?:\.\.\.|…)\s*)?(?:the\s+)?(?:rest|remainder|remaining(?:\s+[\w-]+){0,2})\b[^()[\]\n]{0,60}?\b(?:unchanged|omitted|as before|(?:stays?|remains?) the same|not shown|elided|truncated)\b[^()[\]\n]{0,40}?(?:\)|\]|-->)/gi;

/** Text none of the patterns can match: most of every doc, so most text skips them all. */
const MAYBE_SCAFFOLD = /\{\{|\[|placeholder|satisf|flesh out|populate|rest of|remainder|remaining/i;

/** Scaffold leftovers in a stretch of doc text (code is never passed in). */
export function findScaffolds(raw: string): ScaffoldHit[] {
  if (!MAYBE_SCAFFOLD.test(raw)) return [];
  const hits: ScaffoldHit[] = [];
  const add = (kind: ScaffoldKind, pattern: RegExp): void => {
    for (const m of raw.matchAll(pattern))
      hits.push({ kind, text: m[0], start: m.index, end: m.index + m[0].length });
  };
  add('unrendered', UNRENDERED);
  for (const pattern of PLACEHOLDERS) add('placeholder', pattern);
  for (const pattern of STUBS) add('stub', pattern);
  add('truncated', TRUNCATED);
  return hits;
}

/** `**ComponentName**`, `**ExampleComponent**`: a placeholder name in bold, as scaffolds write them. */
export const isPlaceholderName = (text: string): boolean =>
  /^(?:New|Example|Sample|Placeholder|Your|My)?(?:[A-Z][a-z0-9]+){1,3}Name$|^(?:Example|Sample|Placeholder)[A-Z][A-Za-z0-9]*$/.test(
    text,
  );

/** `- Assumptions:` or `- **In scope:**` with nothing after the label. */
const LABEL_ONLY = /^[\s>]*[-*+]\s+(?:\*\*|__)?[^:\n]{1,40}:(?:\*\*|__)?\s*$/;
/** Header lines scaffolds start with (`Project: x`, `Created: …`): bookkeeping, not content. */
const HEADER_LINE = /^\s*(?:project|session|stack|created|updated|date|status|owner|version|author)\s*:/i;
const scaffoldIn = (line: string): boolean => findScaffolds(line).length > 0;

/**
 * Whether a line holds real content rather than template text: not a marker or placeholder, not a
 * line of an upstream template (by fingerprint), not an empty label and not a scaffold leftover.
 */
export function isContentLine(line: string): boolean {
  if (isPlaceholderLine(line) || LABEL_ONLY.test(line)) return false;
  const hash = templateLineHash(line);
  if (hash === undefined || TEMPLATE_LINE_HASHES.has(hash)) return false;
  return !scaffoldIn(line);
}

/**
 * Whether a stretch of doc says anything beyond template text; `headers` also skips `Key: value`
 * bookkeeping. Lines are taken one at a time: the first with content answers, and a section's body
 * (a title's is the whole doc) is not split up front.
 */
export function hasRealContent(body: string, options: { headers?: boolean } = {}): boolean {
  const text = withoutComments(body);
  for (let from = 0; from <= text.length; ) {
    const newline = text.indexOf('\n', from);
    const to = newline === -1 ? text.length : newline;
    const line = text.slice(from, to);
    if (isContentLine(line) && !(options.headers && HEADER_LINE.test(line))) return true;
    from = to + 1;
  }
  return false;
}
