import type { DepRef } from './facts.ts';

/**
 * `Task 1.2`, `**Task 1**:`, `T012` (spec-kit), `T5.1` (`Task 5.1` abbreviated), `Task POC-1`: the ID
 * a task item starts with.
 */
const LABEL =
  /^[\s*_`[]*(?:(Task)\s+(\d+(?:\.\d+)*|[A-Z][A-Z0-9]*-\d+(?:\.\d+)*)|T(\d+(?:\.\d+)+)|(T)(\d{2,}))\b/i;

export const parseTaskLabel = (text: string): { label: string; key: string } | undefined => {
  const m = LABEL.exec(text);
  if (!m) return undefined;
  if (m[2] !== undefined) return { label: `${m[1]} ${m[2]}`, key: m[2].toUpperCase() };
  if (m[3] !== undefined) return { label: `T${m[3]}`, key: m[3] };
  return { label: `${m[4]}${m[5]}`, key: taskKeyOfT(m[5]!) };
};

/**
 * Citations of tasks in prose (feedback, implementation notes), in the label styles above: `Task 1.2`,
 * `Task POC-1`, `T5.1`, `T012`. Groups: 1 `Task` ID, 2 dotted `T` ID, 3 spec-kit digits.
 */
export const TASK_REF =
  /\bTask\s+(\d+(?:\.\d+)*\b|[A-Z][A-Z0-9]*-\d+(?:\.\d+)*\b)|\bT(\d+(?:\.\d+)+)\b|\bT(\d{3,4})\b/g;

/** The task key a TASK_REF match names. */
export const taskRefKey = (m: RegExpMatchArray): string =>
  m[1] !== undefined ? m[1].toUpperCase() : m[2] !== undefined ? m[2] : taskKeyOfT(m[3]!);

const taskKeyOfT = (digits: string): string => `T${Number(digits)}`;

/**
 * Inline `(Owner: x)` form or a nested `Owner: x` line (both upstream styles). `raw` is the item's own
 * text, nested lines included.
 */
export const parseField = (raw: string, field: 'Owner' | 'Deps' | 'Acceptance'): string | undefined => {
  // `(?=(\s*))\1` takes the blanks after the colon whole: a plain `\s*` could also leave them to
  // the value's own pattern, and trying every split made a long run of blanks quadratic.
  const inline = new RegExp(`\\(${field}:(?=(\\s*))\\1([^()\\n]*(?:\\([^()\\n]*\\)[^()\\n]*)*)\\)`, 'i').exec(
    raw,
  );
  if (inline) return inline[2]!.trim();
  // Indentation stops at the line's end: a `\s*` there ran on through every blank line below.
  const nested = new RegExp(
    `^[^\\S\\n\\r\\u2028\\u2029]*(?:[-*+]\\s+)?(?:\\*\\*)?${field}(?:\\*\\*)?:(?:\\*\\*)?\\s*(.+)$`,
    'im',
  ).exec(raw);
  return nested ? nested[1]!.trim() : undefined;
};

/** An `@claude`-style mention names the owner when no Owner field does. */
export const parseMention = (text: string): string | undefined => /(?:^|\s)(@[\w-]+)/.exec(text)?.[1];

const NO_DEPS = /^(?:none|n\/a|-|—|–)?\.?$/i;
// A range starts where a number does, not after one of its dots (`(?<!\d\.)`): tried from every
// part of a long dotted number, the range read the rest of it each time.
const DEP_TOKEN =
  /\bPhase\s+(\d+)\b|(?<!\d\.)\b(?:Tasks?\s+)?(\d+(?:\.\d+)+|\d+)\s*[-–]\s*(\d+(?:\.\d+)+)\b|\bT(\d{2,})\b|\bTasks?\s+(\d+(?:\.\d+)*|[A-Z][A-Z0-9]*-\d+(?:\.\d+)*)\b|(?<=^|[\s,;(])(\d+\.\d+(?:\.\d+)*)\b|\bT(\d+(?:\.\d+)+)\b/gi;

/** `Task 0.1`, `Tasks 0.1, 0.2`, `0.2`, `2.1-2.4`, `Phase 0`, `T012`, `T1.2`, `Task POC-1`, `none`. */
export const parseDeps = (value: string): DepRef[] => {
  if (NO_DEPS.test(value.trim())) return [];
  const deps: DepRef[] = [];
  for (const m of value.matchAll(DEP_TOKEN)) {
    const text = m[0];
    if (m[1] !== undefined) deps.push({ kind: 'phase', phase: m[1], text });
    else if (m[2] !== undefined) deps.push({ kind: 'range', from: m[2], to: m[3]!, text });
    else if (m[4] !== undefined) deps.push({ kind: 'task', key: taskKeyOfT(m[4]), text });
    else deps.push({ kind: 'task', key: (m[5]?.toUpperCase() ?? m[6] ?? m[7])!, text });
  }
  // A list after "Tasks" (`Tasks 0.1, 0.2, 0.3`) names more tasks by bare number.
  if (/\bTasks\s/i.test(value)) {
    for (const m of value.matchAll(/(?<=,\s*|and\s+)(\d+(?:\.\d+)*)\b/g)) {
      if (!deps.some((d) => d.kind === 'task' && d.key === m[1]))
        deps.push({ kind: 'task', key: m[1]!, text: m[1]! });
    }
  }
  return deps;
};
