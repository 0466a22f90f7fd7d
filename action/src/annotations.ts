import { relative, resolve, sep } from 'node:path';
import type { AnnotationProperties } from '@actions/core';
import { compareDiagnostics, type Diagnostic, type Severity } from '../../src/diagnostics.ts';
import type { Report } from '../../src/report/schema.ts';

/** GitHub displays at most this many annotations of each kind per step and drops the rest. */
export const SHOWN_PER_STEP = 10;

type Kind = 'error' | 'warning' | 'notice';
const KIND: Record<Severity, Kind> = { error: 'error', warning: 'warning', info: 'notice' };

export interface Annotation {
  kind: Kind;
  message: string;
  properties: AnnotationProperties;
}

/**
 * One annotation per diagnostic, in file and line order (so the ones GitHub shows are the first in
 * the tree), with the path relative to the checkout that GitHub resolves it against. Findings about a
 * whole file or folder have no line and are annotated on the file alone.
 */
export function annotationsOf(report: Report, checkout: string): Annotation[] {
  const file = (path: string) => relative(checkout, resolve(report.root, path)).split(sep).join('/');
  return [...report.diagnostics].sort(compareDiagnostics).map((d) => ({
    kind: KIND[d.severity],
    message: d.message,
    properties: { title: `${d.code} ${d.rule}`, file: file(d.file), ...lines(d) },
  }));
}

const lines = ({ range }: Diagnostic): AnnotationProperties =>
  range
    ? {
        startLine: range.start.line,
        startColumn: range.start.column,
        endLine: range.end.line,
        endColumn: range.end.column,
      }
    : {};

/** The log line saying which annotations GitHub will not show, or undefined when all are shown. */
export function hiddenNote(annotations: readonly Annotation[]): string | undefined {
  const hidden = (['error', 'warning', 'notice'] as const)
    .map((kind) => [kind, annotations.filter((a) => a.kind === kind).length - SHOWN_PER_STEP] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
  if (hidden.length === 0) return undefined;
  return (
    `idse: GitHub shows ${SHOWN_PER_STEP} annotations of each kind per step: ${hidden.join(', ')} ` +
    'not shown as annotations; the job summary lists every finding.'
  );
}
