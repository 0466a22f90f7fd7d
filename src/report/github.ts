import path from 'node:path';
import { compareDiagnostics } from '../compare-diagnostics.ts';
import type { Diagnostic, Severity } from '../diagnostics.ts';
import type { Report } from './schema.ts';

export interface GithubOptions {
  /** Directory paths are relative to; GitHub resolves them against the repository checkout. */
  cwd: string;
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** One workflow command per diagnostic, which GitHub Actions turns into an annotation. */
export function formatGithub(report: Report, options: GithubOptions): string {
  const file = (workspacePath: string) =>
    path.relative(options.cwd, path.resolve(report.root, workspacePath)).split(path.sep).join('/');
  return [...report.diagnostics]
    .sort(compareDiagnostics)
    .map((d) => `${command(d, file(d.file))}\n`)
    .join('');
}

function command(d: Diagnostic, file: string): string {
  const properties: [string, string | number][] = [['file', file]];
  if (d.range) {
    const { start, end } = d.range;
    properties.push(
      ['line', start.line],
      ['col', start.column],
      ['endLine', end.line],
      ['endColumn', end.column],
    );
  }
  properties.push(['title', `${d.code} ${d.rule}`]);
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${COMMAND[d.severity]} ${props}::${escapeData(d.message)}`;
}

// The escaping of @actions/core's command.ts: `%` first so the escapes themselves survive.
const escapeData = (s: string): string =>
  s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (s: string): string => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
