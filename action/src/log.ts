import { randomUUID } from 'node:crypto';
import { type FormatName, formatReport } from '../../src/report/format.ts';
import { shouldUseColor } from '../../src/report/pretty.ts';
import type { Report } from '../../src/report/schema.ts';
import type { FailOn } from './inputs.ts';

/**
 * Prints the report in the chosen format. Messages quote doc text, and a line of it starting with
 * `::` would be run as a workflow command, so the listing is wrapped in stop-commands with a
 * one-off token. `github` prints nothing: its workflow commands are the annotations already issued.
 */
export function printLog(
  report: Report,
  format: FormatName,
  checkout: string,
  env: NodeJS.ProcessEnv,
  failOn: FailOn = 'error',
): void {
  if (format === 'github') return;
  // The Actions log renders ANSI colours although stdout is not a terminal.
  const color = shouldUseColor({ isTTY: env.GITHUB_ACTIONS === 'true' }, env);
  // JUnit fails what fails the step (`fail-on`).
  const text = formatReport(report, format, { color, cwd: checkout, failOn });
  if (!text) return;
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n${text}${text.endsWith('\n') ? '' : '\n'}::${token}::\n`);
}
