import { compareDiagnostics, type Diagnostic, type Severity } from '../../diagnostics.ts';

/** One annotation as the Checks API takes it. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
  raw_details?: string;
}

/** The Checks API takes at most this many annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/**
 * Annotations written per run at most: 20 requests. Beyond that a check run is unreadable anyway,
 * and every extra request is a write GitHub asks apps to space out.
 */
export const MAX_ANNOTATIONS = 1000;

const LEVEL: Record<Severity, Annotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  info: 'notice',
};
/** GitHub caps an annotation's message at 64 KB and its title at 255 characters. */
const MAX_MESSAGE = 60_000;
const MAX_TITLE = 255;

/**
 * One annotation per diagnostic that has a line, in file and line order. Findings about a whole
 * session or folder have no line to point at; the summary lists them.
 */
export function annotationsOf(diagnostics: readonly Diagnostic[]): {
  annotations: Annotation[];
  left: number;
} {
  const lined = [...diagnostics].sort(compareDiagnostics).filter((d) => d.range);
  const annotations = lined.slice(0, MAX_ANNOTATIONS).map((d): Annotation => {
    const { start, end } = d.range!;
    const sameLine = start.line === end.line;
    return {
      path: d.file,
      start_line: start.line,
      end_line: Math.max(start.line, end.line),
      // The API accepts columns only on one-line annotations.
      ...(sameLine ? { start_column: start.column, end_column: Math.max(start.column, end.column) } : {}),
      annotation_level: LEVEL[d.severity],
      message: d.message.length > MAX_MESSAGE ? `${d.message.slice(0, MAX_MESSAGE)}…` : d.message,
      title: `${d.code} ${d.rule}`.slice(0, MAX_TITLE),
      ...(d.url ? { raw_details: d.url } : {}),
    };
  });
  return { annotations, left: lined.length - annotations.length };
}

/** Annotations in request-sized batches. */
export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
