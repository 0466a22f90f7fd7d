import { afterEach, describe, expect, it } from 'vitest';
import { BLOB, CREATE, expectCalls, PULL_FILES, PULLS, TOKEN, TREE, UPDATE } from './calls.ts';
import { cleanIntent, cleanSessions, intentPath, intentWithMarkers, sessionDir } from './docs.ts';
import { type Harness, startHarness, TARGET } from './harness.ts';
import { checkRunPayload, pullRequestPayload } from './webhooks.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** main: sessions s1–s3; s1 also has a notes doc with a broken link (an old, unrelated finding). */
function mainBranch(): string {
  return h.repo.commit({
    ...cleanSessions('s1', 's2', 's3'),
    [`${sessionDir('demo', 's1')}/intents/notes.md`]: '# Notes\n\nSee [the old plan](./missing.md).\n',
  });
}

/** A branch off `base` with one commit; returns its head. */
function branch(name: string, base: string, files: Record<string, string>): string {
  h.repo.checkout(base);
  h.repo.checkout(name, true);
  return h.repo.commit(files, name);
}

describe('pull requests', () => {
  it('annotate only the files the pull request changes, report each touched session whole', async () => {
    h = await startHarness();
    const main = mainBranch();
    const head = branch('feature', main, { [intentPath('demo', 's1')]: intentWithMarkers(1) });
    h.github.addPull({
      number: 7,
      title: 'Sharpen the intent',
      head,
      base: main,
      headRef: 'feature',
      baseRef: 'main',
    });

    const response = await h.send(
      'pull_request',
      pullRequestPayload(TARGET, 'opened', { number: 7, head, base: main, headRef: 'feature' }),
    );
    expect(response.status).toBe(200);
    await h.settle();

    // The pull request's files, s1's two docs, the open pull requests (only #7 itself).
    expectCalls(h, {
      [TOKEN]: 1,
      [CREATE]: 1,
      [TREE]: 1,
      [PULL_FILES]: 1,
      [BLOB]: 2,
      [PULLS]: 1,
      [UPDATE]: 1,
    });
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({
      head_sha: head,
      conclusion: 'failure',
      output: { title: '1 error in 1 session' },
    });
    expect(run!.annotations.map((a) => a.path)).toEqual([intentPath('demo', 's1')]);
    const summary = run!.output.summary!;
    expect(summary).toContain('Pull request #7');
    // The table counts s1's old broken link too: 2 errors in the session, 1 of them from this change.
    expect(summary).toMatch(/\| demo \| s1 \| intent \| 2 \| 0 \|/);
    expect(summary).not.toContain('Other open pull requests');
    expect(h.store.validations).toMatchObject([{ pullRequest: 7, conclusion: 'failure', errors: 1 }]);
  });

  it('warn when another open pull request edits the same session', async () => {
    h = await startHarness();
    const main = mainBranch();
    const other = branch('other', main, { [intentPath('demo', 's1')]: cleanIntent('their take') });
    const unrelated = branch('unrelated', main, { [intentPath('demo', 's3')]: cleanIntent('elsewhere') });
    const head = branch('mine', main, {
      [intentPath('demo', 's1')]: cleanIntent('my take'),
      [intentPath('demo', 's2')]: cleanIntent('also mine'),
    });
    h.github.addPull({
      number: 5,
      title: 'Their *take* on s1',
      head: other,
      base: main,
      headRef: 'other',
      baseRef: 'main',
    });
    h.github.addPull({
      number: 6,
      title: 'Elsewhere',
      head: unrelated,
      base: main,
      headRef: 'unrelated',
      baseRef: 'main',
    });
    h.github.addPull({ number: 8, title: 'Mine', head, base: main, headRef: 'mine', baseRef: 'main' });

    await h.send(
      'pull_request',
      pullRequestPayload(TARGET, 'synchronize', { number: 8, head, base: main, headRef: 'mine' }),
    );
    await h.settle();

    // Files of #8, then of #5 and #6 to compare sessions; s1 (2 docs) and s2 (1 doc) are read.
    expectCalls(h, {
      [TOKEN]: 1,
      [CREATE]: 1,
      [TREE]: 1,
      [PULL_FILES]: 3,
      [BLOB]: 3,
      [PULLS]: 1,
      [UPDATE]: 1,
    });
    const [run] = h.github.checkRuns;
    // Both intents are clean and s1's notes.md finding is not in a file this pull request changes;
    // editing two sessions in one change is a warning (session-boundary) on each.
    expect(run).toMatchObject({ conclusion: 'success', output: { title: '2 warnings in 2 sessions' } });
    expect(run!.annotations).toEqual([]);
    const summary = run!.output.summary!;
    expect(summary).toContain('IDSE024');
    expect(summary).toContain('Other open pull requests edit the same sessions');
    expect(summary).toContain('#5');
    expect(summary).toContain('Their \\*take\\* on s1');
    expect(summary).toContain('`projects/demo/sessions/s1`');
    expect(summary).not.toContain('#6');
  });

  it('a reopened pull request is checked again; "Re-run" of its check judges the pull request again', async () => {
    h = await startHarness();
    const main = mainBranch();
    const head = branch('feature', main, { [intentPath('demo', 's2')]: intentWithMarkers(2) });
    h.github.addPull({ number: 9, title: 'Again', head, base: main, headRef: 'feature', baseRef: 'main' });
    await h.send(
      'pull_request',
      pullRequestPayload(TARGET, 'reopened', { number: 9, head, base: main, headRef: 'feature' }),
    );
    await h.settle();
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ conclusion: 'failure', output: { title: '2 errors in 1 session' } });

    h.github.reset();
    await h.send(
      'check_run',
      checkRunPayload(TARGET, { id: run!.id, head, pull: { number: 9, base: main, headRef: 'feature' } }),
    );
    await h.settle();
    // The doc is not downloaded again: its facts are known by its blob id.
    expectCalls(h, { [UPDATE]: 2, [TREE]: 1, [PULL_FILES]: 1, [PULLS]: 1 });
    expect(h.github.checkRuns).toHaveLength(1);
    expect(run!.output.summary).toContain('Pull request #9');
  });
});
