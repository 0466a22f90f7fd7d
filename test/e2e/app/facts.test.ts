/**
 * Facts of docs outlive the App: one instance validates a push and stores what it parsed; a new
 * instance (a restart, or another replica) with an empty memory, on the same store, validates the
 * same content without parsing it or even downloading it (facts are found by the tree's blob ids),
 * and downloads and parses only what changed. Files whose text is read (governance docs, session and
 * project files) are kept as text by blob id: downloaded once, then only when they change. The store
 * going down costs parsing, never the check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StoreMirror } from '../../../src/app/mirror/store-mirror.ts';
import { type FactsSources, TieredFactsCache } from '../../../src/run/memory-facts-cache.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import type { ValidatedDoc } from '../../../src/store/mirror-rows.ts';
import type { Store } from '../../../src/store/store.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { BLOB, CODELOAD, TARBALL, ZERO } from './calls.ts';
import { cleanIntent, cleanSessions, intentPath } from './docs.ts';
import { type Harness, logLines, startHarness, TARGET } from './harness.ts';
import { installationPayload, pushPayload } from './webhooks.ts';

const database = useTestDatabase('idse_app_facts');
const harnesses: Harness[] = [];
const stores: Store[] = [];
/** The doc rows each validation mirrored, in order: the same whether a doc was downloaded or not. */
const mirrored: ValidatedDoc[][] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const s of stores.splice(0)) await s.close();
  mirrored.length = 0;
});

/** An App on the store, with a fresh memory: what `idse app` assembles after a start. */
async function appOn(store: Store): Promise<Harness> {
  const mirror = new StoreMirror(store);
  const recordValidation = mirror.recordValidation.bind(mirror);
  mirror.recordValidation = (summary) => {
    mirrored.push(summary.artifacts ?? []);
    return recordValidation(summary);
  };
  const h = await startHarness({ app: { store: mirror, facts: new TieredFactsCache(store) } });
  harnesses.push(h);
  expect((await h.send('installation', installationPayload(TARGET, 'created'))).status).toBe(200);
  return h;
}

/** Pushes `docs` as a new commit and answers where the validation found the docs' facts. */
async function push(h: Harness, docs: Record<string, string>, before = ZERO): Promise<FactsSources> {
  const sha = h.repo.commit(docs);
  expect((await h.send('push', pushPayload(TARGET, { before, after: sha }))).status).toBe(200);
  await h.settle();
  expect(h.github.checkRuns.at(-1)).toMatchObject({
    head_sha: sha,
    status: 'completed',
    conclusion: 'success',
  });
  const done = h.logs.filter((l) => 'facts' in l).at(-1)!;
  // When the result was ready counts from the job's start: the check-run create, then every phase.
  const { readMs, factsMs, engineMs, readyMs } = done.timings as Record<string, number>;
  expect(readyMs).toBeGreaterThanOrEqual(readMs! + factsMs! + engineMs! - 2);
  return done.facts as FactsSources;
}

const BLUEPRINT = 'projects/demo/sessions/__blueprint__/metadata/blueprint.md';
const META = 'projects/demo/sessions/__blueprint__/metadata/meta.md';
const CURRENT = 'projects/demo/CURRENT_SESSION';
const DOCS = {
  ...cleanSessions('s1', 's2', 's3'),
  [BLUEPRINT]: '# Blueprint\n\n## Core Invariants\n\n- Reports render in under a second.\n',
  [META]: '# Blueprint Meta\n\n## Session Registry\n\n- `s1`\n',
  [CURRENT]: 's3\n',
};

/** The files the last validation downloaded, by path (blob by blob: no archive for so few). */
function downloads(h: Harness): string[] {
  const byBlob = new Map(
    h.repo
      .git('ls-tree', '-r', 'HEAD')
      .split('\n')
      .map((line) => line.split(/\s+/))
      .map(([, , sha, path]) => [sha!, path!]),
  );
  const calls = h.github.calls;
  expect(calls.filter((c) => c.route === TARBALL || c.route === CODELOAD)).toEqual([]);
  return calls
    .filter((c) => c.route === BLOB)
    .map((c) => byBlob.get(c.path.slice(c.path.lastIndexOf('/') + 1)) ?? c.path)
    .sort();
}

describe('facts in the store', () => {
  it('a restarted App parses nothing it has seen, and only the docs that changed', async () => {
    const store = await openPostgresStore({ connectionString: database().url });
    stores.push(store);
    const first = await appOn(store);
    expect(await push(first, DOCS)).toEqual({ memory: 0, store: 0, parsed: 5 });
    expect(downloads(first)).toEqual(Object.keys(DOCS).sort());
    await first.close();
    harnesses.length = 0;

    // A new instance with an empty memory: every doc's facts come from the store, none is parsed,
    // and what is read as text (governance docs, CURRENT_SESSION) too: nothing is downloaded.
    const second = await appOn(store);
    second.github.reset();
    expect(await push(second, DOCS)).toEqual({ memory: 0, store: 5, parsed: 0 });
    expect(downloads(second)).toEqual([]);
    expect(mirrored).toHaveLength(2);
    expect(mirrored[1]).toEqual(mirrored[0]);
    expect(mirrored[0]).toHaveLength(5);
    // Then one doc changes: the touched session is loaded again, its new content is the only doc
    // downloaded and the only parse (the project's CURRENT_SESSION, unchanged, comes from the store).
    second.github.reset();
    let base = second.repo.git('rev-parse', 'HEAD').trim();
    const changed = { [intentPath('demo', 's3')]: cleanIntent('session s3, revised') };
    expect(await push(second, changed, base)).toEqual({ memory: 0, store: 0, parsed: 1 });
    expect(downloads(second)).toEqual([intentPath('demo', 's3')]);
    // A changed CURRENT_SESSION is a new blob: downloaded, and kept for the next run.
    second.github.reset();
    base = second.repo.git('rev-parse', 'HEAD').trim();
    expect(await push(second, { [CURRENT]: 's2\n' }, base)).toEqual({ memory: 5, store: 0, parsed: 0 });
    expect(downloads(second)).toEqual([CURRENT]);
    await second.app.idse.idle();
    expect(await store.fetchBlobTexts([second.repo.git('rev-parse', `HEAD:${CURRENT}`).trim()])).toEqual(
      new Map([[second.repo.git('rev-parse', `HEAD:${CURRENT}`).trim(), 's2\n']]),
    );
    expect(logLines(second, 40)).toEqual([]);
  });

  it('validates by parsing when the store is down, and warns', async () => {
    const store = await openPostgresStore({ connectionString: database().url });
    const h = await appOn(store);
    await store.close();
    expect(await push(h, cleanSessions('down'))).toEqual({ memory: 0, store: 0, parsed: 1 });
    expect(logLines(h, 40)).toContainEqual(
      expect.stringMatching(/^idse: facts store unreachable, parsing 1 docs: .*\[store-/),
    );
  });
});
