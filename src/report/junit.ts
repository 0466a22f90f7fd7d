import { compareDiagnostics } from '../compare-diagnostics.ts';
import type { Diagnostic, Range } from '../diagnostics.ts';
import type { Report, SessionSummary } from './schema.ts';

const OUTSIDE_SESSIONS = 'outside sessions';

export interface JunitOptions {
  /**
   * What fails the run, so the test tab agrees with the exit code: errors (the default), warnings
   * too (`--strict`, `--max-warnings`, the Action's `fail-on: warning`), or nothing (`fail-on: never`).
   */
  failOn?: 'error' | 'warning' | 'never';
}

/**
 * JUnit XML for CI test tabs: a suite per session, a test per file, a failure per error (and per
 * warning when the run fails on warnings), so the test tab agrees with the exit code. Other findings
 * go to the test's output.
 */
export function formatJunit(report: Report, options: JunitOptions = {}): string {
  const failOn = options.failOn ?? 'error';
  const fails = (d: Diagnostic): boolean =>
    failOn !== 'never' && (d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning'));
  const byFile = Map.groupBy([...report.diagnostics].sort(compareDiagnostics), (d) => d.file);
  const suites = new Map(report.sessions.map((s) => [suiteName(s), s.docs.map((doc) => doc.path)]));
  for (const [file, diagnostics] of byFile) {
    const owner =
      report.sessions.find((s) => s.docs.some((doc) => doc.path === file) || file.startsWith(`${s.path}/`)) ??
      report.sessions.find((s) =>
        diagnostics.some((d) => d.project === s.project && d.session === s.session),
      );
    const name = owner ? suiteName(owner) : OUTSIDE_SESSIONS;
    const files = suites.get(name) ?? [];
    if (!files.includes(file)) files.push(file);
    suites.set(name, files);
  }
  let tests = 0;
  let failures = 0;
  const body = [...suites].map(([name, files]) => {
    const cases = files.map((file) => testcase(name, file, byFile.get(file) ?? [], fails));
    const failed = cases.filter((c) => c.failed).length;
    tests += cases.length;
    failures += failed;
    return [
      `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failed}">`,
      ...cases.map((c) => c.xml),
      '  </testsuite>',
    ].join('\n');
  });
  return `${[
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="idse" tests="${tests}" failures="${failures}">`,
    ...body,
    '</testsuites>',
  ].join('\n')}\n`;
}

function testcase(
  suite: string,
  file: string,
  diagnostics: Diagnostic[],
  fails: (d: Diagnostic) => boolean,
): { failed: boolean; xml: string } {
  const open = `    <testcase classname="${attr(suite)}" name="${attr(file)}"`;
  if (diagnostics.length === 0) return { failed: false, xml: `${open}/>` };
  const failing = diagnostics.filter(fails);
  const others = diagnostics.filter((d) => !fails(d));
  const xml = [
    `${open}>`,
    ...failing.map(
      (d) =>
        `      <failure type="${attr(d.code)}" message="${attr(d.message)}">${text(describe(d))}</failure>`,
    ),
    ...(others.length ? [`      <system-out>${text(others.map(describe).join('\n\n'))}</system-out>`] : []),
    '    </testcase>',
  ].join('\n');
  return { failed: failing.length > 0, xml };
}

const suiteName = (s: SessionSummary): string => `${s.project}/${s.session}`;

function describe(d: Diagnostic): string {
  return [
    `${d.severity} ${d.code}/${d.rule} at ${where(d.file, d.range)}`,
    d.message,
    ...(d.related ?? []).map((r) => `related ${where(r.file, r.range)}: ${r.message}`),
  ].join('\n');
}

const where = (file: string, range: Range | undefined): string =>
  range ? `${file}:${range.start.line}:${range.start.column}` : file;

/** Characters XML 1.0 cannot carry at all, escaped or not (controls, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const text = (s: string): string =>
  s.replace(NOT_XML, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

// Attribute-value normalisation would turn raw whitespace into spaces; character references survive it.
const attr = (s: string): string =>
  text(s)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;');
