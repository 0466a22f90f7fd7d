import { compareDiagnostics } from '../compare-diagnostics.ts';
import type { Diagnostic, Severity } from '../diagnostics.ts';
import type { Report, SessionSummary } from './schema.ts';

export interface MarkdownOptions {
  /** Hard limit in UTF-16 code units; GitHub rejects longer check-run summaries. */
  maxLength?: number;
}

export const DEFAULT_MARKDOWN_MAX_LENGTH = 65_535;

interface Line {
  text: string;
  /** Findings are what truncation drops and counts in its note. */
  finding: boolean;
}

/** Summary for a check run or `$GITHUB_STEP_SUMMARY`: counts, a session table, findings by file. */
export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const head = [...heading(report), ...sessionTable(report.sessions)].map((text) => ({
    text,
    finding: false,
  }));
  const lines = [...head, ...findings(report.diagnostics)];
  const full = render(lines);
  if (full.length <= maxLength) return full;
  return truncate(lines, head.length - 1, maxLength);
}

/**
 * Keeps the longest prefix that fits together with a note saying how many findings were dropped.
 * Cuts fall after a finding or, when even the session table is too long, after a line of the head,
 * so no file heading is left without its findings.
 */
function truncate(lines: readonly Line[], headEnd: number, maxLength: number): string {
  const total = lines.filter((l) => l.finding).length;
  let length = 0;
  let kept = 0;
  let cut = -1;
  let note = omittedNote(total, maxLength);
  for (const [i, line] of lines.entries()) {
    length += line.text.length + 1;
    if (line.finding) kept += 1;
    if (!(line.finding || (i <= headEnd && line.text !== ''))) continue;
    const candidate = omittedNote(total - kept, maxLength);
    // The note follows the kept lines after a blank line.
    if (length + 1 + candidate.length + 1 <= maxLength) {
      cut = i;
      note = candidate;
    }
  }
  if (cut < 0) return note.length + 1 <= maxLength ? `${note}\n` : '';
  return `${render(lines.slice(0, cut + 1))}\n${note}\n`;
}

const omittedNote = (omitted: number, maxLength: number): string =>
  `_${plural(omitted, 'more finding')} not shown: this summary is limited to ${maxLength} characters._`;

const render = (lines: readonly Line[]): string => lines.map((l) => `${l.text}\n`).join('');

function heading(report: Report): string[] {
  const count = (severity: Severity) => report.diagnostics.filter((d) => d.severity === severity).length;
  const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
  const icon = errors ? '❌' : warnings ? '⚠️' : '✅';
  const counts = report.diagnostics.length
    ? [plural(errors, 'error'), plural(warnings, 'warning'), ...(infos ? [plural(infos, 'info')] : [])].join(
        ', ',
      )
    : 'no problems';
  const { files, sessions } = report.summary;
  return [
    `## ${icon} IDSE: ${counts}`,
    '',
    `Checked ${plural(files, 'file')} in ${plural(sessions, 'session')}.`,
  ];
}

function sessionTable(sessions: readonly SessionSummary[]): string[] {
  if (sessions.length === 0) return [];
  return [
    '',
    '| Project | Session | Stage | Errors | Warnings | Requirements with tasks | Requirements with tests |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...sessions.map((s) => {
      const { requirements, withTasks, withTests } = s.coverage;
      const cells = [plain(s.project), plain(s.session), s.stage ?? '—', s.errors, s.warnings];
      return `| ${[...cells, `${withTasks}/${requirements}`, `${withTests}/${requirements}`].join(' | ')} |`;
    }),
  ];
}

function findings(diagnostics: readonly Diagnostic[]): Line[] {
  if (diagnostics.length === 0) return [];
  const byFile = Map.groupBy([...diagnostics].sort(compareDiagnostics), (d) => d.file);
  const structure = (text: string): Line => ({ text, finding: false });
  return [
    structure(''),
    structure('### Findings'),
    ...[...byFile].flatMap(([file, group]) => [
      structure(''),
      structure(`#### ${plain(file)}`),
      structure(''),
      ...group.map((d) => ({ text: finding(d), finding: true })),
    ]),
  ];
}

const finding = (d: Diagnostic): string =>
  `- **${d.code}**${d.range ? ` line ${d.range.start.line}` : ''}: ${plain(d.message)}`;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Messages are plain text: neutralise HTML and inline markdown, keep line breaks inside the list item. */
const plain = (s: string): string =>
  s
    .replace(/[&<>]/g, (c) => ENTITIES[c]!)
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/\r?\n/g, '<br>');

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
