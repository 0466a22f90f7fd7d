import { formatMarkdown } from '../../src/report/markdown.ts';
import type { Report } from '../../src/report/schema.ts';
import type { BaseChoice } from './event.ts';

/** GitHub refuses a step summary above 1 MiB; the limit is in bytes, formatMarkdown's in characters. */
export const STEP_SUMMARY_MAX_BYTES = 1024 * 1024;

export interface SummaryContext {
  /** The `path` input, to say where nothing was found. */
  path: string;
  changed: BaseChoice | undefined;
}

/** The job summary: the markdown report (counts, a row per session, every finding) that fits. */
export function jobSummary(
  report: Report,
  context: SummaryContext,
  maxBytes = STEP_SUMMARY_MAX_BYTES,
): string {
  if (report.summary.files === 0) {
    return `## ✅ IDSE: no IDSE docs found\n\nNo IDSE pipeline docs were found under \`${context.path}\`, so there was nothing to check.\n`;
  }
  const note = context.changed ? `\n_${changedNote(context.changed)}_\n` : '';
  return fitted(report, maxBytes - byteLength(note)) + note;
}

/**
 * The longest rendering within `maxBytes`. Characters outside ASCII take up to 3 bytes (4 per
 * surrogate pair, i.e. 2 per UTF-16 unit), so when a rendering is too big the character limit
 * shrinks by the overshoot and it renders again; the markdown formatter then drops findings and says
 * how many.
 */
export function fitted(report: Report, maxBytes: number): string {
  let maxLength = maxBytes;
  for (;;) {
    const text = formatMarkdown(report, { maxLength });
    const bytes = byteLength(text);
    if (bytes <= maxBytes || maxLength === 0) return text;
    maxLength = Math.max(0, Math.min(maxLength - 1, Math.floor((maxLength * maxBytes) / bytes)));
  }
}

/** One sentence on what `changed-only` did; shared by the log and the summary. */
export function changedNote({ base, reason }: BaseChoice): string {
  return base
    ? `changed-only: reporting files changed since ${base} (${reason}).`
    : `changed-only: reporting every file, since ${reason}.`;
}

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');
