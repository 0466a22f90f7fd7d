import { afterEach, describe, expect, it } from 'vitest';
import { SUMMARY_LIMIT } from '../../../src/app/check-run/output.ts';
import { BLOB, CREATE, expectCalls, TOKEN, TREE, UPDATE, ZERO } from './calls.ts';
import {
  cleanSessions,
  intentPath,
  intentWithLongLinks,
  intentWithMarkers,
  SCOPE_EXTRA_LINE,
} from './docs.ts';
import { type Harness, startHarness, TARGET } from './harness.ts';
import { checkRunPayload, checkSuitePayload, pushPayload } from './webhooks.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('check runs', () => {
  it('120 findings are written as 3 annotation batches: 50 in the completing update, then 50 and 20', async () => {
    h = await startHarness();
    const sha = h.repo.commit({ [intentPath('demo', 's1')]: intentWithMarkers(120) });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();

    expectCalls(h, { [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 1, [UPDATE]: 3 });
    expect(h.github.routes()).toEqual([TOKEN, CREATE, TREE, BLOB, UPDATE, UPDATE, UPDATE]);
    const [run] = h.github.checkRuns;
    const [created, completing, second, third] = run!.writes as Array<{
      status?: string;
      conclusion?: string;
      output: { title: string; summary: string; annotations?: Array<{ start_line: number }> };
    }>;
    expect(created).toMatchObject({ status: 'in_progress' });
    expect(created!.output.annotations).toBeUndefined();
    expect(completing).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect([completing, second, third].map((w) => w!.output.annotations!.length)).toEqual([50, 50, 20]);
    // Later batches keep the title and summary (an update without them would blank them).
    expect(third!.output.title).toBe('120 errors in 1 session');
    expect(third!.output.summary).toBe(completing!.output.summary);
    expect(run!.annotations.map((a) => a.start_line)).toEqual(
      Array.from({ length: 120 }, (_, i) => SCOPE_EXTRA_LINE + i),
    );
  });

  it('a summary that would pass 65,535 characters is cut with a note saying so', async () => {
    h = await startHarness();
    // 16 broken links of 5,000 characters: each finding quotes its target, 80,000 characters in all.
    const sha = h.repo.commit({ [intentPath('demo', 's1')]: intentWithLongLinks(16, 5000) });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();

    expectCalls(h, { [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 1, [UPDATE]: 1 });
    const [run] = h.github.checkRuns;
    const summary = run!.output.summary!;
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(summary.length).toBeGreaterThan(SUMMARY_LIMIT - 6000);
    expect(summary).toMatch(/_\d+ more findings? not shown: this summary is limited to \d+ characters\._\n$/);
    // Every finding is still annotated: truncation only concerns the summary.
    expect(run!.annotations).toHaveLength(16);
  });

  it('"Re-run" on the check run updates that same run instead of creating another', async () => {
    h = await startHarness();
    const sha = h.repo.commit({ [intentPath('demo', 's1')]: intentWithMarkers(1) });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ conclusion: 'failure' });

    h.github.reset();
    const response = await h.send('check_run', checkRunPayload(TARGET, { id: run!.id, head: sha }));
    expect(response.status).toBe(200);
    await h.settle();
    // The doc is not downloaded again: its facts are known by its blob id.
    expectCalls(h, { [UPDATE]: 2, [TREE]: 1 });
    expect(h.github.checkRuns).toHaveLength(1);
    const writes = run!.writes.slice(-2) as Array<{ status?: string; conclusion?: string }>;
    expect(writes).toMatchObject([{ status: 'in_progress' }, { status: 'completed', conclusion: 'failure' }]);
    expect(h.github.calls.filter((c) => c.route === UPDATE).map((c) => c.path)).toEqual([
      `/api/v3/repos/acme/docs/check-runs/${run!.id}`,
      `/api/v3/repos/acme/docs/check-runs/${run!.id}`,
    ]);
  });

  it('a check run of another app or name is not ours to re-run', async () => {
    h = await startHarness();
    const sha = h.repo.commit(cleanSessions('s1'));
    await h.send('check_run', checkRunPayload(TARGET, { id: 99, head: sha, name: 'lint' }));
    await h.settle();
    expectCalls(h, {});
  });

  it('a requested check suite validates the whole tree; the push of the same commit is not run twice', async () => {
    h = await startHarness();
    const base = h.repo.commit(cleanSessions('s1', 's2'));
    const sha = h.repo.commit({ [intentPath('demo', 's2')]: intentWithMarkers(1) });
    await h.send('check_suite', checkSuitePayload(TARGET, 'requested', { head: sha, before: base }));
    await h.send('push', pushPayload(TARGET, { before: base, after: sha }));
    await h.settle();
    expectCalls(h, { [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 2, [UPDATE]: 1 });
    expect(h.github.checkRuns[0]!.output.summary).toContain('check suite requested');

    // "Re-run all checks" asks again, and is run again.
    await h.send('check_suite', checkSuitePayload(TARGET, 'rerequested', { head: sha, before: base }));
    await h.settle();
    expect(h.github.checkRuns).toHaveLength(2);
    expect(h.github.checkRuns[1]).toMatchObject({ head_sha: sha, conclusion: 'failure' });
  });
});
