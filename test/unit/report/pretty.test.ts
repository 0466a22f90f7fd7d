import { describe, expect, it } from 'vitest';
import { formatPretty, shouldUseColor } from '../../../src/report/pretty.ts';
import { sampleReport } from './sample-report.ts';

const ESC = '\u001b';

describe('formatPretty', () => {
  it('lists findings grouped by file with clickable locations and a summary', () => {
    expect(formatPretty(sampleReport(), { color: false, cwd: '/work/ws' })).toBe(
      [
        'README.md:1:1  info     Consider linking the constitution  IDSE099/readme-hint',
        '',
        'projects/alpha/sessions/s1/intents/intent.md:3:1  error    Secret "api_key" at 100%, rotate: now  IDSE020/secret-in-doc',
        '                                                           then <&> purge',
        '',
        'projects/alpha/sessions/s1/specs/spec.md:12:5  warning  REQ-3 is not cited by any task  IDSE012/requirement-without-task',
        '                                                        ↳ projects/alpha/sessions/s1/tasks/tasks.md:4:1  tasks are listed here',
        'projects/alpha/sessions/s1/specs/spec.md:30:5  warning  REQ-3 is not cited by any task  IDSE012/requirement-without-task',
        '',
        'projects/beta/sessions/s2/intents/intent.md  warning  Missing section "Goals"  IDSE003/required-section',
        '',
        '✖ 1 error, 3 warnings, 1 info in 4 files (checked 6 files)',
        '',
      ].join('\n'),
    );
  });

  it('names the first three related places of a finding and counts the rest', () => {
    const report = sampleReport();
    const finding = report.diagnostics.find((d) => d.related)!;
    finding.related = Array.from({ length: 17 }, (_, i) => ({
      file: 'projects/alpha/sessions/s1/tasks/tasks.md',
      range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 2 } },
      message: 'open task',
    }));
    const lines = formatPretty(report, { color: false, cwd: '/work/ws' }).split('\n');
    const related = lines.filter((l) => l.trimStart().startsWith('↳'));
    expect(related.map((l) => l.trim())).toEqual([
      '↳ projects/alpha/sessions/s1/tasks/tasks.md:1:1  open task',
      '↳ projects/alpha/sessions/s1/tasks/tasks.md:2:1  open task',
      '↳ projects/alpha/sessions/s1/tasks/tasks.md:3:1  open task',
      '↳ … and 14 more (--format json lists every one)',
    ]);
  });

  it('prints paths relative to cwd, also outside of it', () => {
    const lines = formatPretty(sampleReport(), { color: false, cwd: '/work/ws/projects/alpha' }).split('\n');
    expect(lines[0]).toBe(
      '../../README.md:1:1  info     Consider linking the constitution  IDSE099/readme-hint',
    );
    expect(lines[2]).toMatch(/^sessions\/s1\/intents\/intent\.md:3:1 {2}error {4}Secret/);
  });

  it('colours severities, rule names and the summary only when asked', () => {
    const colored = formatPretty(sampleReport(), { color: true, cwd: '/work/ws' });
    expect(colored.split('\n')[0]).toBe(
      `README.md:1:1  ${ESC}[34minfo   ${ESC}[39m  Consider linking the constitution  ${ESC}[2mIDSE099/readme-hint${ESC}[22m`,
    );
    expect(colored).toContain(`${ESC}[31merror  ${ESC}[39m`);
    expect(colored).toContain(`${ESC}[33mwarning${ESC}[39m`);
    expect(colored.trimEnd().split('\n').at(-1)).toBe(
      `${ESC}[1m${ESC}[31m✖ 1 error, 3 warnings, 1 info in 4 files (checked 6 files)${ESC}[39m${ESC}[22m`,
    );
    expect(formatPretty(sampleReport(), { color: false, cwd: '/work/ws' })).not.toContain(ESC);
  });

  it('says so when there is nothing to report', () => {
    const clean = { ...sampleReport(), diagnostics: [] };
    expect(formatPretty(clean, { color: false, cwd: '/work/ws' })).toBe('✔ no problems in 6 files\n');
    expect(formatPretty(clean, { color: true, cwd: '/work/ws' })).toBe(
      `${ESC}[32m✔ no problems in 6 files${ESC}[39m\n`,
    );
  });

  it('uses singular nouns and an info mark when only infos remain', () => {
    const report = sampleReport();
    const onlyInfo = { ...report, diagnostics: report.diagnostics.filter((d) => d.severity === 'info') };
    expect(formatPretty(onlyInfo, { color: false, cwd: '/work/ws' }).split('\n').at(-2)).toBe(
      'ℹ 0 errors, 0 warnings, 1 info in 1 file (checked 6 files)',
    );
    const oneError = { ...report, diagnostics: report.diagnostics.filter((d) => d.severity === 'error') };
    expect(formatPretty(oneError, { color: false, cwd: '/work/ws' }).split('\n').at(-2)).toBe(
      '✖ 1 error, 0 warnings in 1 file (checked 6 files)',
    );
  });

  it('says what a scoped run checked, and under which profile when it is not the default', () => {
    const report = { ...sampleReport(), diagnostics: [] };
    const scoped = {
      ...report,
      profile: 'strict' as const,
      scope: { paths: ['projects/alpha'], changedSince: 'origin/main' },
      summary: { ...report.summary, files: 2 },
    };
    expect(formatPretty(scoped, { color: false, cwd: '/work/ws' })).toBe(
      '✔ no problems in 2 files under projects/alpha changed since origin/main (strict profile)\n',
    );
  });
});

describe('shouldUseColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it.each([
    ['a TTY', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['a stream without isTTY', {}, {}, false],
    ['NO_COLOR on a TTY', tty, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR', tty, { NO_COLOR: '' }, true],
    ['NO_COLOR over FORCE_COLOR', tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['an empty FORCE_COLOR', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=3', pipe, { FORCE_COLOR: '3' }, true],
    ['FORCE_COLOR=0 on a TTY', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a TTY', tty, { FORCE_COLOR: 'false' }, false],
  ])('%s', (_name, stream, env, expected) => {
    expect(shouldUseColor(stream, env)).toBe(expected);
  });
});
