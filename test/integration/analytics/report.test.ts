import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalReport } from '../../../src/analytics/local-report.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const S = 'projects/p/sessions/s';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

function commitAt(root: string, hours: number, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const date = new Date(T0 + hours * HOUR).toISOString();
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync('git', ['add', '-A'], { cwd: root, env });
  execFileSync(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', `at ${hours}h`],
    { cwd: root, env },
  );
}

const doc = (title: string, sections: Record<string, string>) =>
  `# ${title}\n\n${Object.entries(sections)
    .map(([h, body]) => `## ${h}\n\n${body}\n`)
    .join('\n')}`;

describe('idse report over a git history with known dates', () => {
  it('computes pass rate, init time, stage cycle times, feedback loop and the markers trend', async () => {
    const root = tempDir();
    execFileSync('git', ['init', '-q'], { cwd: root });
    // 0h: intent started, one marker left in it → an error (unresolved input at the work front).
    commitAt(root, 0, {
      [`${S}/intents/intent.md`]: doc('Intent', { Goal: '[REQUIRES INPUT]', Scope: 'Exports only.' }),
    });
    // 5h: marker resolved → the session validates without errors (init time 5 h).
    commitAt(root, 5, {
      [`${S}/intents/intent.md`]: doc('Intent', { Goal: 'Faster exports.', Scope: 'Exports only.' }),
    });
    // 10h: context written (intent → context: 10 h).
    commitAt(root, 10, { [`${S}/contexts/context.md`]: doc('Context', { Environment: 'Node 24.' }) });
    // 30h: spec, plan and tasks at once (context → spec: 20 h; spec → plan and plan → tasks: 0 h).
    commitAt(root, 30, {
      [`${S}/specs/spec.md`]: `# Spec\n\n[intent](../intents/intent.md)\n\n## Functional Requirements\n\n### FR-1: Stream rows\n\nRows stream.\n`,
      [`${S}/plans/plan.md`]: doc('Plan', { Components: 'An exporter.' }),
      [`${S}/tasks/tasks.md`]:
        '# Tasks\n\n## Phase 1\n\n- [ ] Task 1.1 – Stream (Owner: @codex) (Acceptance: FR-1)\n',
    });
    // 40h: task ticked; 44h: implementation notes (tasks → implementation: 14 h); 46h: feedback cites
    // the task (feedback loop: 6 h; implementation → feedback: 2 h).
    commitAt(root, 40, {
      [`${S}/tasks/tasks.md`]:
        '# Tasks\n\n## Phase 1\n\n- [x] Task 1.1 – Stream (Owner: @codex) (Acceptance: FR-1)\n',
    });
    commitAt(root, 44, {
      [`${S}/implementation/README.md`]: doc('Implementation', { 'What Was Built': 'A streaming exporter.' }),
    });
    commitAt(root, 46, {
      [`${S}/feedback/feedback.md`]: doc('Feedback', {
        'Decision Log': '- Task 1.1 / FR-1: streaming kept memory flat.',
      }),
    });

    const run = await idse(['report', '--format', 'json'], { cwd: root });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as LocalReport;
    expect(report.window.commits).toBe(7);
    expect(report.history.passRate).toEqual({ count: 6, total: 7, ratio: 6 / 7 });
    expect(report.history.initTimes).toEqual([{ session: 'p/s', hours: 5 }]);
    expect(report.history.markersTrend.map((p) => p.markers)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(report.history.markersTrend.map((p) => (p.time - T0) / HOUR)).toEqual([0, 5, 10, 30, 40, 44, 46]);
    expect(report.history.stageCycleTimes.map((c) => [c.stage, c.medianHours, c.samples])).toEqual([
      ['intent', 10, 1],
      ['context', 20, 1],
      ['spec', 0, 1],
      ['plan', 0, 1],
      ['tasks', 14, 1],
      ['implementation', 2, 1],
    ]);
    expect(report.history.feedbackLoop).toEqual({
      medianHours: 6,
      samples: [{ session: 'p/s', task: '1.1', hours: 6 }],
    });
    expect(report.now.compliance).toEqual({ count: 1, total: 1, ratio: 1 });
    expect(report.now.stageFunnel.map((f) => f.sessions)).toEqual([1, 1, 1, 1, 1, 1, 1]);

    const html = (await idse(['report', '--format', 'html'], { cwd: root })).stdout;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(4);
    // The workspace and the day it was made (the CLI's clock in these tests), in the title and heading.
    const name = basename(root);
    expect(html).toContain(`<title>IDSE report: ${name}, 2026-11-25</title>`);
    expect(html).toContain(`<h1>IDSE report: ${name}</h1>`);
    expect(html).toMatch(/Made 2026-11-25 12:00 UTC from 7 commits, HEAD [0-9a-f]{7}\./);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const text = (await idse(['report'], { cwd: root })).stdout;
    expect(text).toMatch(/^Validation pass rate \(7 commits\)\s+85\.7% \(6\/7\)$/m);
    expect(text).toMatch(/^Feedback loop \(median, task ticked → feedback\)\s+6\.0 h$/m);
  });
});
