// The action's pure pieces, checked directly where driving them through the bundle would need
// megabytes of docs (summary limit) or events a test repository cannot produce.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotationsOf, hiddenNote } from '../../../action/src/annotations.ts';
import { resolveBase } from '../../../action/src/event.ts';
import { readInputs } from '../../../action/src/inputs.ts';
import { rebaseReport } from '../../../action/src/rebase.ts';
import { fitted, jobSummary } from '../../../action/src/summary.ts';
import { verdict } from '../../../action/src/verdict.ts';
import type { Diagnostic } from '../../../src/diagnostics.ts';
import type { Report } from '../../../src/report/schema.ts';
import { tempDir } from '../../helpers/cli.ts';
import { sampleReport } from '../../unit/report/sample-report.ts';
import { examplePayload } from './harness.ts';

const SHA = 'a'.repeat(40);

function eventEnv(name: string, payload: unknown): NodeJS.ProcessEnv {
  const file = join(tempDir('idse-event-'), 'event.json');
  writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file };
}

describe('resolveBase', () => {
  it('prefers the base input over the event', () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened');
    expect(resolveBase('origin/main', eventEnv('pull_request', payload))).toEqual({
      base: 'origin/main',
      reason: 'the base input',
    });
  });

  it("takes a pull request's base SHA for every pull request event", () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened');
    const sha = (payload.pull_request as { base: { sha: string } }).base.sha;
    for (const name of ['pull_request', 'pull_request_target', 'pull_request_review']) {
      expect(resolveBase(undefined, eventEnv(name, payload))).toEqual({
        base: sha,
        reason: "the pull request's base",
      });
    }
  });

  it("takes a push's before, and nothing for a push that created the branch", () => {
    const created = examplePayload('push', (p) => p.created === true);
    expect(resolveBase(undefined, eventEnv('push', created)).base).toBeUndefined();
    expect(resolveBase(undefined, eventEnv('push', { ...created, before: SHA }))).toEqual({
      base: SHA,
      reason: 'the commit before the push',
    });
  });

  it('takes a merge queue base, and nothing for events without a base', () => {
    expect(resolveBase(undefined, eventEnv('merge_group', { merge_group: { base_sha: SHA } })).base).toBe(
      SHA,
    );
    expect(resolveBase(undefined, eventEnv('schedule', { schedule: '0 0 * * *' }))).toEqual({
      base: undefined,
      reason: 'a schedule run has no base commit (set the base input to give one)',
    });
    expect(resolveBase(undefined, {})).toEqual({
      base: undefined,
      reason: 'there is no event payload (GITHUB_EVENT_PATH)',
    });
    expect(resolveBase(undefined, eventEnv('pull_request', { pull_request: {} })).base).toBeUndefined();
  });

  it('fails with one line on an unreadable payload', () => {
    const env = eventEnv('push', '{ not json');
    expect(() => resolveBase(undefined, env)).toThrow(/^cannot read the event payload .*event\.json: /);
  });
});

describe('readInputs', () => {
  const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('applies the action.yml defaults to inputs not given', () => {
    expect(readInputs(reader({}))).toEqual({
      path: '.',
      config: undefined,
      changedOnly: false,
      base: undefined,
      failOn: 'error',
      sarifFile: undefined,
      format: 'pretty',
      cache: true,
    });
    expect(
      readInputs(reader({ 'changed-only': 'TRUE', 'fail-on': 'warning', format: 'sarif', cache: 'False' })),
    ).toMatchObject({
      changedOnly: true,
      cache: false,
      failOn: 'warning',
      format: 'sarif',
    });
  });
});

describe('verdict', () => {
  const summary = (errors: number, warnings: number) => ({
    files: 1,
    sessions: 1,
    errors,
    warnings,
    infos: 0,
  });
  it('fails by fail-on', () => {
    expect(verdict(summary(0, 3), 'error')).toBeUndefined();
    expect(verdict(summary(1, 0), 'error')).toBe(
      'idse: 1 error and 0 warnings in IDSE docs (fail-on: error)',
    );
    expect(verdict(summary(0, 1), 'warning')).toBe(
      'idse: 0 errors and 1 warning in IDSE docs (fail-on: warning)',
    );
    expect(verdict(summary(9, 9), 'never')).toBeUndefined();
  });
});

describe('rebaseReport and annotations', () => {
  it('prefixes every path with the workspace folder inside the checkout', () => {
    const report = { ...sampleReport(), root: '/repo/docs/idse' };
    const rebased = rebaseReport(report, '/repo');
    expect(rebased.root).toBe('/repo');
    expect(rebased.diagnostics.map((d) => d.file)).toEqual(
      report.diagnostics.map((d) => `docs/idse/${d.file}`),
    );
    const related = rebased.diagnostics.flatMap((d) => d.related ?? []).map((r) => r.file);
    expect(related).toEqual(['docs/idse/projects/alpha/sessions/s1/tasks/tasks.md']);
    expect(rebased.diagnostics.find((d) => d.fix)?.fix?.file).toBe(
      'docs/idse/projects/alpha/sessions/s1/intents/intent.md',
    );
    expect(rebased.sessions[0]!.path).toBe('docs/idse/projects/alpha/sessions/s1');
    // Not inside the checkout: unchanged, annotations then climb out of it.
    expect(rebaseReport(report, '/elsewhere')).toBe(report);
    expect(annotationsOf(report, '/elsewhere')[0]!.properties.file).toBe('../repo/docs/idse/README.md');
  });

  it('annotates every finding in file order, with lines when the finding has them', () => {
    const annotations = annotationsOf(sampleReport(), '/work/ws');
    expect(annotations.map((a) => [a.kind, a.properties.file, a.properties.startLine])).toEqual([
      ['notice', 'README.md', 1],
      ['error', 'projects/alpha/sessions/s1/intents/intent.md', 3],
      ['warning', 'projects/alpha/sessions/s1/specs/spec.md', 12],
      ['warning', 'projects/alpha/sessions/s1/specs/spec.md', 30],
      ['warning', 'projects/beta/sessions/s2/intents/intent.md', undefined],
    ]);
    expect(annotations[1]!.properties).toEqual({
      title: 'IDSE020 secret-in-doc',
      file: 'projects/alpha/sessions/s1/intents/intent.md',
      startLine: 3,
      startColumn: 1,
      endLine: 3,
      endColumn: 9,
    });
    expect(hiddenNote(annotations)).toBeUndefined();
  });

  it('counts what GitHub will not show, per kind', () => {
    const many = (severity: Diagnostic['severity'], n: number): Diagnostic[] =>
      Array.from({ length: n }, (_, i) => ({
        code: 'IDSE010',
        rule: 'unresolved-input',
        severity,
        message: 'm',
        file: `f${i}.md`,
      }));
    const report = {
      ...sampleReport(),
      diagnostics: [...many('error', 10), ...many('warning', 11), ...many('info', 13)],
    };
    expect(hiddenNote(annotationsOf(report, report.root))).toBe(
      'idse: GitHub shows 10 annotations of each kind per step: 1 warning, 3 notices not shown as annotations; the job summary lists every finding.',
    );
  });
});

describe('job summary', () => {
  /** A report whose findings carry multi-byte text: characters and bytes differ three-fold. */
  function wideReport(findings: number): Report {
    const report = sampleReport();
    const [first] = report.diagnostics;
    report.diagnostics = Array.from({ length: findings }, (_, i) => ({
      ...first!,
      message: `要件 ${i} はタスクに引用されていません`.repeat(4),
      range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 2 } },
    }));
    return report;
  }

  it('keeps within the byte limit, dropping findings with a note saying how many', () => {
    const report = wideReport(400);
    const limit = 20_000;
    const text = fitted(report, limit);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(limit);
    // Not needlessly short either: a character limit equal to the byte limit would overshoot 2-3×.
    expect(Buffer.byteLength(text)).toBeGreaterThan(limit * 0.9);
    const shown = text.match(/^- \*\*IDSE012\*\*/gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(text).toMatch(
      new RegExp(
        `\\n_${400 - shown} more findings not shown: this summary is limited to \\d+ characters\\._\\n$`,
      ),
    );
  });

  it('keeps every finding when they fit, and adds the changed-only line within the limit', () => {
    const report = wideReport(50);
    const full = jobSummary(report, { path: '.', changed: undefined });
    expect(full.match(/^- \*\*IDSE012\*\*/gm)).toHaveLength(50);
    const changed = jobSummary(
      report,
      { path: '.', changed: { base: SHA, reason: 'the base input' } },
      6_000,
    );
    expect(Buffer.byteLength(changed)).toBeLessThanOrEqual(6_000);
    expect(
      changed.endsWith(`\n_changed-only: reporting files changed since ${SHA} (the base input)._\n`),
    ).toBe(true);
  });
});
