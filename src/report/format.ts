import { formatGithub } from './github.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { formatPretty } from './pretty.ts';
import { formatSarif } from './sarif.ts';
import type { Report } from './schema.ts';

export const FORMATS = ['pretty', 'json', 'sarif', 'github', 'junit', 'markdown'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  /** Decided by the caller (see `shouldUseColor`); only `pretty` colours. */
  color: boolean;
  /** Directory that printed paths are relative to; defaults to `report.root`. */
  cwd?: string;
  /** Report errors only. */
  quiet?: boolean;
  /** What fails the run, for formats that judge (JUnit): errors by default. */
  failOn?: 'error' | 'warning' | 'never';
}

/**
 * Renders a report in one format. Every format returns complete text ending in a newline
 * (or nothing, when a format has nothing to say), so callers write it out as is.
 */
export function formatReport(report: Report, format: FormatName, options: FormatOptions): string {
  const shown = options.quiet ? errorsOnly(report) : report;
  const cwd = options.cwd ?? report.root;
  switch (format) {
    case 'pretty':
      return formatPretty(shown, { color: options.color, cwd });
    case 'json':
      return formatJson(shown);
    case 'sarif':
      return formatSarif(shown);
    case 'github':
      return formatGithub(shown, { cwd });
    case 'junit':
      return formatJunit(shown, { failOn: options.failOn ?? 'error' });
    case 'markdown':
      return formatMarkdown(shown);
  }
}

/** Quiet drops warnings and infos everywhere, counts included, so no format contradicts its own list. */
function errorsOnly(report: Report): Report {
  return {
    ...report,
    summary: { ...report.summary, warnings: 0, infos: 0 },
    sessions: report.sessions.map((s) => ({ ...s, warnings: 0 })),
    diagnostics: report.diagnostics.filter((d) => d.severity === 'error'),
  };
}
