/**
 * Facts of docs outlive the App: one instance validates a push and stores what it parsed; a new
 * instance (a restart, or another replica) with an empty memory, on the same store, validates the
 * same content without parsing it, and parses only what changed. The store going down costs parsing,
 * never the check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StoreMirror } from '../../../src/app/mirror/store-mirror.ts';
import { type FactsSources, TieredFactsCache } from '../../../src/run/memory-facts-cache.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import type { Store } from '../../../src/store/store.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { ZERO } from './calls.ts';
import { cleanIntent, cleanSessions, intentPath } from './docs.ts';
import { type Harness, logLines, startHarness, TARGET } from './harness.ts';
import { installationPayload, pushPayload } from './webhooks.ts';

const database = useTestDatabase('idse_app_facts');
const harnesses: Harness[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const s of stores.splice(0)) await s.close();
});

/** An App on the store, with a fresh memory: what `idse app` assembles after a start. */
async function appOn(store: Store): Promise<Harness> {
  const h = await startHarness({
    app: { store: new StoreMirror(store), facts: new TieredFactsCache(store) },
  });
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
  const done = h.logs.filter((l) => 'facts' in l);
  return done.at(-1)!.facts as FactsSources;
}

const DOCS = cleanSessions('s1', 's2', 's3');

describe('facts in the store', () => {
  it('a restarted App parses nothing it has seen, and only the docs that changed', async () => {
    const store = await openPostgresStore({ connectionString: database().url });
    stores.push(store);
    const first = await appOn(store);
    expect(await push(first, DOCS)).toEqual({ memory: 0, store: 0, parsed: 3 });
    await first.close();
    harnesses.length = 0;

    // A new instance with an empty memory: every doc's facts come from the store, none is parsed.
    const second = await appOn(store);
    expect(await push(second, DOCS)).toEqual({ memory: 0, store: 3, parsed: 0 });
    // Then one doc changes: the touched session is read again, its new content is the only parse.
    const base = second.repo.git('rev-parse', 'HEAD').trim();
    const changed = { [intentPath('demo', 's3')]: cleanIntent('session s3, revised') };
    expect(await push(second, changed, base)).toEqual({ memory: 0, store: 0, parsed: 1 });
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
