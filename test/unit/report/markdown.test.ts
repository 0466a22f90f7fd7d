import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKDOWN_MAX_LENGTH, formatMarkdown } from '../../../src/report/markdown.ts';
import { sampleReport } from './sample-report.ts';

const HEAD = [
  '## ❌ IDSE: 1 error, 3 warnings, 1 info',
  '',
  'Checked 6 files in 2 sessions.',
  '',
  '| Project | Session | Stage | Errors | Warnings | Requirements with tasks | Requirements with tests |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  '| alpha | s1 | spec | 1 | 2 | 3/4 | 2/4 |',
  '| beta | s2 | — | 0 | 1 | 0/0 | 0/0 |',
];

const FINDINGS = [
  '',
  '### Findings',
  '',
  '#### README.md',
  '',
  '- **IDSE099** line 1: Consider linking the constitution',
  '',
  '#### projects/alpha/sessions/s1/intents/intent.md',
  '',
  '- **IDSE020** line 3: Secret "api\\_key" at 100%, rotate: now<br>then &lt;&amp;&gt; purge',
  '',
  '#### projects/alpha/sessions/s1/specs/spec.md',
  '',
  '- **IDSE012** line 12: REQ-3 is not cited by any task',
  '- **IDSE012** line 30: REQ-3 is not cited by any task',
  '',
  '#### projects/beta/sessions/s2/intents/intent.md',
  '',
  '- **IDSE003**: Missing section "Goals"',
];

const FULL = `${[...HEAD, ...FINDINGS].join('\n')}\n`;

describe('formatMarkdown', () => {
  it('renders counts, a session table and findings grouped by file', () => {
    expect(formatMarkdown(sampleReport())).toBe(FULL);
  });

  it('neutralises HTML and markdown in names and messages', () => {
    const report = sampleReport();
    report.sessions[0]!.project = 'a|b';
    report.diagnostics = [{ ...report.diagnostics[3]!, message: '*bold* [x](y) `z` ~s~ <img src=x> \\ & _' }];
    const out = formatMarkdown(report);
    expect(out).toContain('| a\\|b | s1 | spec |');
    expect(out).toContain(
      '- **IDSE003**: \\*bold\\* \\[x\\](y) \\`z\\` \\~s\\~ &lt;img src=x&gt; \\\\ &amp; \\_\n',
    );
  });

  it('reports a clean workspace', () => {
    const report = { ...sampleReport(), diagnostics: [] };
    expect(formatMarkdown(report)).toBe(
      `${['## ✅ IDSE: no problems', '', 'Checked 6 files in 2 sessions.', ...HEAD.slice(3)].join('\n')}\n`,
    );
  });

  it('marks warnings-only runs and leaves out the table without sessions', () => {
    const report = sampleReport();
    report.sessions = [];
    report.summary.sessions = 0;
    report.diagnostics = report.diagnostics.filter((d) => d.severity === 'warning').slice(0, 1);
    expect(formatMarkdown(report)).toBe(
      [
        '## ⚠️ IDSE: 0 errors, 1 warning',
        '',
        'Checked 6 files in 0 sessions.',
        '',
        '### Findings',
        '',
        '#### projects/alpha/sessions/s1/specs/spec.md',
        '',
        '- **IDSE012** line 30: REQ-3 is not cited by any task',
        '',
      ].join('\n'),
    );
  });

  it('drops whole findings from the end and says how many', () => {
    expect(formatMarkdown(sampleReport(), { maxLength: FULL.length })).toBe(FULL);
    expect(formatMarkdown(sampleReport(), { maxLength: FULL.length - 1 })).toBe(
      `${[
        ...HEAD,
        ...FINDINGS.slice(0, 15),
        '',
        `_1 more finding not shown: this summary is limited to ${FULL.length - 1} characters._`,
      ].join('\n')}\n`,
    );
    expect(formatMarkdown(sampleReport(), { maxLength: 420 })).toBe(
      `${[...HEAD, '', '_5 more findings not shown: this summary is limited to 420 characters._'].join('\n')}\n`,
    );
  });

  it('never exceeds the limit and only cuts at line boundaries', () => {
    for (let maxLength = 0; maxLength <= FULL.length; maxLength += 1) {
      const out = formatMarkdown(sampleReport(), { maxLength });
      expect(out.length).toBeLessThanOrEqual(maxLength);
      if (out === FULL || out === '') continue;
      const note =
        /\n?_(\d+) more findings? not shown: this summary is limited to (\d+) characters\._\n$/.exec(out);
      expect(note, `maxLength ${maxLength}`).not.toBeNull();
      expect(Number(note![2])).toBe(maxLength);
      const kept = out.slice(0, note!.index);
      expect(FULL.startsWith(kept)).toBe(true);
      expect(kept === '' || kept.endsWith('\n')).toBe(true);
      const shown = kept.split('\n').filter((line) => line.startsWith('- **')).length;
      expect(shown + Number(note![1])).toBe(5);
    }
  });

  it('measures in UTF-16 code units and defaults to GitHub’s limit', () => {
    expect(DEFAULT_MARKDOWN_MAX_LENGTH).toBe(65_535);
    const report = sampleReport();
    const base = report.diagnostics[3]!;
    report.diagnostics = Array.from({ length: 2000 }, (_, i) => ({
      ...base,
      message: `${'😀'.repeat(20)} ${i}`,
    }));
    const out = formatMarkdown(report);
    expect(out.length).toBeLessThanOrEqual(65_535);
    expect(out.length).toBeGreaterThan(65_000);
    expect(out).toMatch(/_\d+ more findings not shown: this summary is limited to 65535 characters\._\n$/);
  });
});
