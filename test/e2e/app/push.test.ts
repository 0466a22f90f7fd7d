import { afterEach, describe, expect, it } from 'vitest';
import {
  BLOB,
  CODELOAD,
  COMPARE,
  CREATE,
  expectCalls as expectCallsOf,
  TARBALL,
  TOKEN,
  TREE,
  UPDATE,
  ZERO,
} from './calls.ts';
import { cleanIntent, cleanSessions, intentPath, intentWithMarkers, SCOPE_EXTRA_LINE } from './docs.ts';
import { type Harness, logLines, startHarness, TARGET } from './harness.ts';
import { pushPayload } from './webhooks.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const expectCalls = (expected: Record<string, number>) => expectCallsOf(h, expected);

describe('push', () => {
  it('a clean repository gets a successful check run: in progress first, then completed', async () => {
    h = await startHarness();
    const sha = h.repo.commit({ ...cleanSessions('s1', 's2'), 'README.md': '# not a doc\n' });
    const response = await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    expect(response.status).toBe(200);
    await h.settle();

    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 2, [UPDATE]: 1 });
    expect(h.github.routes()[1]).toBe(CREATE);
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ name: 'idse', head_sha: sha, status: 'completed', conclusion: 'success' });
    expect(run!.writes[0]).toMatchObject({ status: 'in_progress' });
    expect(run!.output.title).toBe('No problems in 2 sessions');
    expect(run!.output.summary).toContain('first push of this branch');
    expect(run!.annotations).toEqual([]);
    expect(h.store.validations).toMatchObject([{ conclusion: 'success', headSha: sha, checkRunId: run!.id }]);
  });

  it('docs with errors fail the check, annotated at their paths and lines', async () => {
    h = await startHarness();
    const base = h.repo.commit(cleanSessions('s1', 's2'));
    const sha = h.repo.commit({ [intentPath('demo', 's1')]: intentWithMarkers(2) });
    await h.send('push', pushPayload(TARGET, { before: base, after: sha }));
    await h.settle();

    // Only the touched session is read: s2's intent is not fetched.
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [COMPARE]: 1, [BLOB]: 1, [UPDATE]: 1 });
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ conclusion: 'failure', status: 'completed' });
    expect(run!.output.title).toBe('2 errors in 1 session');
    expect(run!.annotations).toEqual(
      [0, 1].map((i) =>
        expect.objectContaining({
          path: intentPath('demo', 's1'),
          start_line: SCOPE_EXTRA_LINE + i,
          end_line: SCOPE_EXTRA_LINE + i,
          annotation_level: 'failure',
          title: 'IDSE010 unresolved-input',
        }),
      ),
    );
    expect(run!.output.summary).toContain('IDSE010');
  });

  it('a deleted branch or a tag push makes no GitHub call at all', async () => {
    h = await startHarness();
    const sha = h.repo.commit(cleanSessions('s1'));
    const deleted = await h.send(
      'push',
      pushPayload(TARGET, { ref: 'refs/heads/gone', before: sha, after: ZERO, deleted: true }),
    );
    const tag = await h.send('push', pushPayload(TARGET, { ref: 'refs/tags/v1', before: ZERO, after: sha }));
    expect([deleted.status, tag.status]).toEqual([200, 200]);
    await h.settle();
    expectCalls({});
  });

  it('a repository without docs gets a neutral check that says how to start', async () => {
    h = await startHarness();
    const sha = h.repo.commit({ 'README.md': '# code only\n', 'src/index.ts': 'export {};\n' });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [UPDATE]: 1 });
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ conclusion: 'neutral' });
    expect(run!.output.title).toBe('No IDSE docs in this repository');
    expect(run!.output.summary).toContain('idse init');
  });

  it('an invalid config fails the check naming the file, line and problem', async () => {
    h = await startHarness();
    const sha = h.repo.commit({
      ...cleanSessions('s1'),
      '.github/idse.yml': 'rules:\n  requirement-without-task: error\n  no-such-rule: warning\n',
    });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 1, [UPDATE]: 1 });
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ conclusion: 'failure' });
    expect(run!.output.title).toBe('Invalid idse config: .github/idse.yml:3');
    expect(run!.output.summary).toContain('`rules.no-such-rule`: unknown rule');
    expect(run!.annotations).toMatchObject([{ path: '.github/idse.yml', start_line: 3 }]);
    expect(logLines(h).join('\n')).toContain('invalid config');
  });

  it('a force-push validates the whole tree, not a diff against a commit that is gone', async () => {
    h = await startHarness();
    const base = h.repo.commit(cleanSessions('s1', 's2'));
    const old = h.repo.commit({ [intentPath('demo', 's1')]: cleanIntent('old') });
    h.repo.resetTo(base);
    const rewritten = h.repo.commit({ [intentPath('demo', 's2')]: intentWithMarkers(1) });
    await h.send('push', pushPayload(TARGET, { before: old, after: rewritten, forced: true }));
    await h.settle();
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 2, [UPDATE]: 1 });
    const [run] = h.github.checkRuns;
    expect(run!.output.summary).toContain('force-push');
    expect(run!.annotations).toMatchObject([{ path: intentPath('demo', 's2') }]);

    // Without the `forced` flag, the compare API's `diverged` status says the same.
    h.github.reset();
    const again = h.repo.commit({ [intentPath('demo', 's2')]: intentWithMarkers(2) });
    h.repo.resetTo(base);
    const other = h.repo.commit({ 'notes.txt': 'x\n' });
    await h.send('push', pushPayload(TARGET, { before: again, after: other }));
    await h.settle();
    // Every session again, but s1's intent is not downloaded: its facts are known by its blob id.
    expectCalls({ [CREATE]: 1, [TREE]: 1, [COMPARE]: 1, [BLOB]: 1, [UPDATE]: 1 });
    expect(h.github.checkRuns[1]!.output.summary).toContain('history was rewritten');

    // And when GitHub no longer knows the old commit at all, the compare API answers 404.
    h.github.reset();
    const gone = 'f'.repeat(40);
    const latest = h.repo.commit({ 'notes.txt': 'y\n' });
    await h.send('push', pushPayload(TARGET, { before: gone, after: latest }));
    await h.settle();
    // Both docs were seen by now: nothing is downloaded.
    expectCalls({ [CREATE]: 1, [TREE]: 1, [COMPARE]: 1, [UPDATE]: 1 });
    expect(h.github.checkRuns[2]!.output.summary).toContain('fffffff is no longer in the repository');
  });

  it('a push changing no docs gets a neutral check without reading any', async () => {
    h = await startHarness();
    const base = h.repo.commit(cleanSessions('s1'));
    const sha = h.repo.commit({ 'src/app.ts': 'export const x = 1;\n' });
    await h.send('push', pushPayload(TARGET, { before: base, after: sha }));
    await h.settle();
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [COMPARE]: 1, [UPDATE]: 1 });
    expect(h.github.checkRuns[0]).toMatchObject({
      conclusion: 'neutral',
      output: { title: 'No IDSE docs changed' },
    });
  });

  it('a changed config validates every session', async () => {
    h = await startHarness();
    const base = h.repo.commit(cleanSessions('s1', 's2', 's3'));
    const sha = h.repo.commit({ 'idse.config.yml': 'rules:\n  unresolved-input: warning\n' });
    await h.send('push', pushPayload(TARGET, { before: base, after: sha }));
    await h.settle();
    // The config blob, then all three sessions.
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [COMPARE]: 1, [BLOB]: 4, [UPDATE]: 1 });
    expect(h.github.checkRuns[0]!.output.summary).toContain('the idse config changed');
  });

  it('a push of more files than the compare API lists is diffed through the trees', async () => {
    h = await startHarness();
    const base = h.repo.commit(cleanSessions('s1', 's2'));
    const many = Object.fromEntries(
      Array.from({ length: 320 }, (_, i) => [`assets/file-${i}.txt`, `${i}\n`]),
    );
    const sha = h.repo.commit({ ...many, [intentPath('demo', 's2')]: intentWithMarkers(1) });
    await h.send('push', pushPayload(TARGET, { before: base, after: sha }));
    await h.settle();
    // Head tree, compare (cut at 300 files), base tree; then only s2 is read.
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 2, [COMPARE]: 1, [BLOB]: 1, [UPDATE]: 1 });
    expect(h.github.checkRuns[0]!.annotations).toMatchObject([{ path: intentPath('demo', 's2') }]);
  });

  it('an oversized doc is reported without being downloaded; a binary one is reported as binary', async () => {
    h = await startHarness();
    const sha = h.repo.commit({
      ...cleanSessions('s1'),
      'idse.config.yml': 'maxFileBytes: 2000\n',
      'projects/demo/sessions/s1/specs/spec.md': `# Spec\n\n${'word '.repeat(1000)}\n`,
      'projects/demo/sessions/s1/plans/plan.md': new Uint8Array([35, 32, 80, 0, 1, 2, 10]),
    });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    // Config, intent, plan: the 5 KB spec is never fetched.
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 3, [UPDATE]: 1 });
    const summary = h.github.checkRuns[0]!.output.summary!;
    expect(summary).toContain('larger than 2000 bytes');
    expect(summary).toContain('binary');
  });

  it('a tree GitHub truncates is read folder by folder', async () => {
    h = await startHarness({ maxTreeEntries: 5 });
    const sha = h.repo.commit({ ...cleanSessions('s1', 's2', 's3'), 'a/b.txt': 'x', 'c/d.txt': 'y' });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    const trees = h.github.calls.filter((c) => c.route === TREE);
    expect(trees.length).toBeGreaterThan(2);
    expect(h.github.violations).toEqual([]);
    expect(h.github.checkRuns[0]).toMatchObject({
      conclusion: 'success',
      output: { title: 'No problems in 3 sessions' },
    });
  });

  it('a push of many docs is read from one tarball and parsed by worker threads', async () => {
    h = await startHarness();
    const names = Array.from({ length: 120 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    // A path over 100 bytes needs a pax header in the tar stream.
    const long = `s-${'very-long-session-name-'.repeat(5)}ü`;
    const sha = h.repo.commit({
      ...cleanSessions(...names),
      [intentPath('demo', 's007')]: intentWithMarkers(1),
      [intentPath('demo', long)]: intentWithMarkers(1),
    });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    // One archive request (GitHub redirects it to the archive host) instead of 120 blob requests.
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [TARBALL]: 1, [CODELOAD]: 1, [UPDATE]: 1 });
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ conclusion: 'failure', output: { title: '2 errors in 121 sessions' } });
    expect(run!.annotations).toMatchObject([
      { path: intentPath('demo', long), start_line: SCOPE_EXTRA_LINE },
      { path: intentPath('demo', 's007'), start_line: SCOPE_EXTRA_LINE },
    ]);
  });

  it('when the tarball cannot be had, the blobs are read instead', async () => {
    h = await startHarness();
    const names = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const sha = h.repo.commit(cleanSessions(...names));
    h.github.fail({ route: TARBALL, status: 502, times: 4 });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [TARBALL]: 4, [BLOB]: 100, [UPDATE]: 1 });
    expect(h.github.checkRuns[0]).toMatchObject({ conclusion: 'success' });
    expect(logLines(h, 40).join('\n')).toContain('tarball unavailable');
  });

  it('agency:// references are checked against a design manifest in the repository, never one at a URL', async () => {
    h = await startHarness();
    const refs = cleanIntent('design', '- Uses agency://button@1 and agency://carousel.');
    const manifest = { components: [{ id: 'button', name: 'Button', version: '1.2.0' }] };
    const sha = h.repo.commit({
      [intentPath('demo', 's1')]: refs,
      'design.json': JSON.stringify(manifest),
      'idse.config.yml': 'design:\n  manifest: design.json\n',
    });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    // Config, manifest, intent.
    expectCalls({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 3, [UPDATE]: 1 });
    expect(h.github.checkRuns[0]!.annotations).toMatchObject([
      { path: intentPath('demo', 's1'), title: 'IDSE027 unknown-design-component' },
    ]);
    expect(h.github.checkRuns[0]!.annotations[0]!.message).toContain('agency://carousel');

    h.github.reset();
    const remote = h.repo.commit({
      'idse.config.yml': 'design:\n  manifest: http://169.254.169.254/design.json\n',
    });
    await h.send('push', pushPayload(TARGET, { before: sha, after: remote }));
    await h.settle();
    // The config; the intent's facts are known by its blob id, so it is not downloaded again.
    expectCalls({ [CREATE]: 1, [TREE]: 1, [COMPARE]: 1, [BLOB]: 1, [UPDATE]: 1 });
    const run = h.github.checkRuns[1]!;
    expect(run).toMatchObject({ conclusion: 'success' });
    expect(run.output.summary).toContain('references were not checked');
  });
});
