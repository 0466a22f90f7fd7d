import path from 'node:path';
import pc from 'picocolors';
import { compareDiagnostics } from '../compare-diagnostics.ts';
import type { Diagnostic, Range, Severity } from '../diagnostics.ts';
import type { Report } from './schema.ts';

export interface PrettyOptions {
  color: boolean;
  /** Directory printed paths are relative to. */
  cwd: string;
}

/** NO_COLOR (any non-empty value) beats FORCE_COLOR (`0`/`false` disable), which beats the TTY check. */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}

type Colors = ReturnType<typeof pc.createColors>;

const SEVERITY_WIDTH = 'warning'.length;
/** A finding with many related places (17 open tasks) names a few; the machine formats keep them all. */
const RELATED_SHOWN = 3;

/** eslint-stylish-like listing whose lines start with `path:line:col`, which terminals and editors link. */
export function formatPretty(report: Report, options: PrettyOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const where = (file: string, range: Range | undefined): string => {
    const shown = path.relative(options.cwd, path.resolve(report.root, file));
    return range ? `${shown}:${range.start.line}:${range.start.column}` : shown;
  };
  const sorted = [...report.diagnostics].sort(compareDiagnostics);
  const blocks = [...Map.groupBy(sorted, (d) => d.file).values()].map((group) => {
    const locations = group.map((d) => where(d.file, d.range));
    const width = Math.max(...locations.map((l) => l.length));
    // Continuation lines (multi-line messages, related locations) start under the message column.
    const indent = ' '.repeat(width + 2 + SEVERITY_WIDTH + 2);
    return group
      .flatMap((d, i) => {
        const [first, ...rest] = d.message.split(/\r?\n/);
        const head = `${locations[i]!.padEnd(width)}  ${paint[d.severity](d.severity.padEnd(SEVERITY_WIDTH))}`;
        return [
          `${head}  ${first}  ${c.dim(`${d.code}/${d.rule}`)}`,
          ...rest.map((line) => indent + line),
          ...(d.related ?? [])
            .slice(0, RELATED_SHOWN)
            .map((r) => `${indent}${c.dim('↳')} ${where(r.file, r.range)}  ${r.message}`),
          ...((d.related?.length ?? 0) > RELATED_SHOWN
            ? [
                `${indent}${c.dim(`↳ … and ${d.related!.length - RELATED_SHOWN} more (--format json lists every one)`)}`,
              ]
            : []),
        ];
      })
      .join('\n');
  });
  return `${[...blocks, summaryLine(report, sorted, c)].join('\n\n')}\n`;
}

function summaryLine(report: Report, diagnostics: readonly Diagnostic[], c: Colors): string {
  const count = (severity: Severity) => diagnostics.filter((d) => d.severity === severity).length;
  const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
  const checked = `${plural(report.summary.files, 'file')}${scopeOf(report)}`;
  const profile = report.profile === 'strict' ? ' (strict profile)' : '';
  if (diagnostics.length === 0) return c.green(`✔ no problems in ${checked}${profile}`);
  const counts = [
    plural(errors, 'error'),
    plural(warnings, 'warning'),
    ...(infos ? [plural(infos, 'info')] : []),
  ];
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const mark = errors + warnings > 0 ? '✖' : 'ℹ';
  const line = `${mark} ${counts.join(', ')} in ${plural(files, 'file')} (checked ${checked})${profile}`;
  return c.bold(errors ? c.red(line) : warnings ? c.yellow(line) : c.blue(line));
}

/** What a scoped run looked at, as the summary line says it: " under x", " changed since main". */
const scopeOf = (report: Report): string =>
  `${report.scope?.paths ? ` under ${report.scope.paths.join(', ')}` : ''}${report.scope?.changedSince ? ` changed since ${report.scope.changedSince}` : ''}`;

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
