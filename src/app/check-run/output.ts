import type { Diagnostic } from '../../diagnostics.ts';
import type { IdseError } from '../../errors.ts';
import { DEFAULT_MARKDOWN_MAX_LENGTH, formatMarkdown } from '../../report/markdown.ts';
import type { Report } from '../../report/schema.ts';
import { type Annotation, annotationsOf, MAX_ANNOTATIONS } from './annotations.ts';
import type { Failure } from './failure.ts';

/** What a completed check run shows. */
export interface CheckOutput {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: Annotation[];
}

/** GitHub rejects a longer check-run summary. */
export const SUMMARY_LIMIT = DEFAULT_MARKDOWN_MAX_LENGTH;
/** Notes above the report never take more than this share of the summary. */
const NOTES_LIMIT = 8_000;

/**
 * A validation's output: the run is judged on `scoped` (the findings in what the event changed);
 * the session table in `report` shows each touched session whole. `notes` (what was checked and
 * why, other pull requests on the same sessions) head the summary; the report fills the rest and
 * is truncated, with a note saying so, to keep the whole under SUMMARY_LIMIT.
 */
export function validatedOutput(input: {
  report: Report;
  scoped: readonly Diagnostic[];
  notes: readonly string[];
}): CheckOutput {
  const { report, scoped } = input;
  const { annotations, left } = annotationsOf(scoped);
  const notes = [...input.notes];
  if (left > 0) {
    notes.push(
      `${plural(left, 'more finding')} with a line not annotated: a run writes at most ${MAX_ANNOTATIONS} annotations.`,
    );
  }
  const count = (severity: Diagnostic['severity']) => scoped.filter((d) => d.severity === severity).length;
  const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
  const found = [
    ...(errors ? [plural(errors, 'error')] : []),
    ...(warnings ? [plural(warnings, 'warning')] : []),
    ...(infos ? [plural(infos, 'info')] : []),
  ];
  const where = `in ${plural(report.summary.sessions, 'session')}`;
  const title = found.length ? `${found.join(', ')} ${where}` : `No problems ${where}`;
  const summary = compose(notes, (maxLength) =>
    formatMarkdown({ ...report, diagnostics: [...scoped] }, { maxLength }),
  );
  return { conclusion: errors > 0 ? 'failure' : 'success', title, summary, annotations };
}

/** The repository (or what is left after `ignore`) holds no IDSE docs: nothing to judge. */
export function noDocsOutput(sha: string, ignoring: boolean): CheckOutput {
  return {
    conclusion: 'neutral',
    title: 'No IDSE docs in this repository',
    summary: [
      '## ➖ IDSE: nothing to check',
      '',
      `This repository has no IDSE pipeline docs at \`${sha.slice(0, 7)}\`${ignoring ? ' outside the config’s `ignore` globs' : ''}.`,
      'idse validates sessions laid out as `projects/<project>/sessions/<session>/<stage>/<doc>.md`',
      '(also under `.idse/projects/…`, or with the docs directly in the session folder).',
      '',
      'To start one, run `npx idse init <project>` in the repository, then commit and push the docs.',
      '',
    ].join('\n'),
    annotations: [],
  };
}

/** The event changed no docs, session files or config: the docs are as they were. */
export function nothingChangedOutput(why: string): CheckOutput {
  return {
    conclusion: 'neutral',
    title: 'No IDSE docs changed',
    summary: `## ➖ IDSE: no docs changed\n\nNothing under a session folder changed (${why}), so there was nothing to validate.\n`,
    annotations: [],
  };
}

export function configInvalidOutput(error: IdseError): CheckOutput {
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}` : 'the config';
  return {
    conclusion: 'failure',
    title: `Invalid idse config: ${where}`,
    summary: [
      '## ❌ IDSE: the config is invalid',
      '',
      fenced(error.format()),
      '',
      'Nothing was validated. Fix the config and push again; `idse validate` shows the same error locally.',
      '',
    ].join('\n'),
    annotations: error.file
      ? [
          {
            path: error.file,
            start_line: error.line ?? 1,
            end_line: error.line ?? 1,
            annotation_level: 'failure',
            message: error.message,
            title: 'idse config',
          },
        ]
      : [],
  };
}

const NEXT_STEP: Record<Failure['code'], string> = {
  'github-unavailable': 'Re-run this check once GitHub is answering again.',
  'github-rate-limited': 'Re-run this check after the rate limit resets.',
  'github-refused':
    'Check that the App is still installed with the permissions in `app.yml`, then re-run this check.',
  internal: 'This is a bug in idse; the App log has the details.',
};

export function failedOutput(failure: Failure): CheckOutput {
  return {
    conclusion: 'failure',
    title: `Could not validate: ${failure.code}`,
    summary: [
      '## ❌ IDSE: could not validate',
      '',
      fenced(`${failure.message} [${failure.code}]`),
      '',
      `Nothing was validated. ${NEXT_STEP[failure.code]}`,
      '',
    ].join('\n'),
    annotations: [],
  };
}

function compose(notes: readonly string[], body: (maxLength: number) => string): string {
  let head = notes.map((n) => `> ${n}`).join('\n>\n');
  if (head.length > NOTES_LIMIT) head = `${head.slice(0, NOTES_LIMIT - 1)}…`;
  if (head) head += '\n\n';
  return head + body(SUMMARY_LIMIT - head.length);
}

/** A fence longer than any backtick run inside, so messages print verbatim. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
