import { describe, expect, it } from 'vitest';
import { FORMATS, formatReport } from '../../../src/report/format.ts';
import { formatGithub } from '../../../src/report/github.ts';
import { formatJson } from '../../../src/report/json.ts';
import { formatJunit } from '../../../src/report/junit.ts';
import { formatMarkdown } from '../../../src/report/markdown.ts';
import { formatPretty } from '../../../src/report/pretty.ts';
import { formatSarif } from '../../../src/report/sarif.ts';
import type { Report } from '../../../src/report/schema.ts';
import { sampleReport } from './sample-report.ts';

describe('formatReport', () => {
  it('knows the six formats', () => {
    expect(FORMATS).toEqual(['pretty', 'json', 'sarif', 'github', 'junit', 'markdown']);
  });

  it('dispatches to each format, with paths relative to the root by default', () => {
    const report = sampleReport();
    const options = { color: false };
    expect(formatReport(report, 'pretty', options)).toBe(
      formatPretty(report, { color: false, cwd: '/work/ws' }),
    );
    expect(formatReport(report, 'json', options)).toBe(formatJson(report));
    expect(formatReport(report, 'sarif', options)).toBe(formatSarif(report));
    expect(formatReport(report, 'github', options)).toBe(formatGithub(report, { cwd: '/work/ws' }));
    expect(formatReport(report, 'junit', options)).toBe(formatJunit(report));
    expect(formatReport(report, 'markdown', options)).toBe(formatMarkdown(report));
  });

  it('passes cwd and color on', () => {
    const report = sampleReport();
    const options = { color: true, cwd: '/work/ws/projects' };
    expect(formatReport(report, 'pretty', options)).toBe(formatPretty(report, options));
    expect(formatReport(report, 'github', options)).toBe(formatGithub(report, { cwd: '/work/ws/projects' }));
  });

  it('keeps only errors, and counts only them, when quiet', () => {
    const report = sampleReport();
    const quiet: Report = JSON.parse(formatReport(report, 'json', { color: false, quiet: true }));
    expect(quiet.diagnostics.map((d) => d.code)).toEqual(['IDSE020']);
    expect(quiet.summary).toEqual({ files: 6, sessions: 2, errors: 1, warnings: 0, infos: 0 });
    expect(quiet.sessions.map((s) => [s.errors, s.warnings])).toEqual([
      [1, 0],
      [0, 0],
    ]);
    expect(formatReport(report, 'pretty', { color: false, quiet: true }).trimEnd().split('\n').at(-1)).toBe(
      '✖ 1 error, 0 warnings in 1 file (checked 6 files)',
    );
    expect(formatReport(report, 'github', { color: false, quiet: true })).toMatch(/^::error [^\n]*\n$/);
    expect(report.diagnostics).toHaveLength(5);
  });

  it('ends every non-empty output with a newline', () => {
    for (const format of FORMATS) {
      expect(formatReport(sampleReport(), format, { color: false }).endsWith('\n'), format).toBe(true);
    }
  });
});
