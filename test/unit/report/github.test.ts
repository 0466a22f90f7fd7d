import { describe, expect, it } from 'vitest';
import { formatGithub } from '../../../src/report/github.ts';
import { sampleReport } from './sample-report.ts';

describe('formatGithub', () => {
  it('emits one escaped workflow command per diagnostic', () => {
    expect(formatGithub(sampleReport(), { cwd: '/work/ws' })).toBe(
      [
        '::notice file=README.md,line=1,col=1,endLine=1,endColumn=2,title=IDSE099 readme-hint::Consider linking the constitution',
        '::error file=projects/alpha/sessions/s1/intents/intent.md,line=3,col=1,endLine=3,endColumn=9,title=IDSE020 secret-in-doc::Secret "api_key" at 100%25, rotate: now%0Athen <&> purge',
        '::warning file=projects/alpha/sessions/s1/specs/spec.md,line=12,col=5,endLine=12,endColumn=10,title=IDSE012 requirement-without-task::REQ-3 is not cited by any task',
        '::warning file=projects/alpha/sessions/s1/specs/spec.md,line=30,col=5,endLine=30,endColumn=10,title=IDSE012 requirement-without-task::REQ-3 is not cited by any task',
        '::warning file=projects/beta/sessions/s2/intents/intent.md,title=IDSE003 required-section::Missing section "Goals"',
        '',
      ].join('\n'),
    );
  });

  it('escapes `:` and `,` in properties and `%`, CR and LF everywhere', () => {
    const report = sampleReport();
    report.diagnostics = [
      { ...report.diagnostics[3]!, file: 'docs/a,b:c%d.md', message: '50%\r\n done, ok: yes' },
    ];
    expect(formatGithub(report, { cwd: '/work/ws' })).toBe(
      '::warning file=docs/a%2Cb%3Ac%25d.md,title=IDSE003 required-section::50%25%0D%0A done, ok: yes\n',
    );
  });

  it('prints paths relative to cwd with forward slashes', () => {
    const out = formatGithub(sampleReport(), { cwd: '/work/ws/projects' });
    expect(out.split('\n')[0]).toMatch(/^::notice file=\.\.\/README\.md,line=1,/);
    expect(out.split('\n')[1]).toMatch(/^::error file=alpha\/sessions\/s1\/intents\/intent\.md,line=3,/);
  });

  it('prints nothing for a clean report', () => {
    expect(formatGithub({ ...sampleReport(), diagnostics: [] }, { cwd: '/work/ws' })).toBe('');
  });
});
