/**
 * The database goes down in the middle of a validation: the check run still completes, the mirror
 * write waits in the outbox on disk, and is replayed when the database takes connections again, so
 * the store ends up with exactly what an uninterrupted run writes.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { FileOutbox } from '../../../src/app/mirror/outbox.ts';
import { StoreMirror } from '../../../src/app/mirror/store-mirror.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import type { Store } from '../../../src/store/store.ts';
import { tempDir } from '../../helpers/cli.ts';
import { PG_ADMIN_URL, useTestDatabase } from '../../helpers/postgres.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';
import { ZERO } from './calls.ts';
import { cleanSessions } from './docs.ts';
import { type Harness, logLines, startHarness, TARGET } from './harness.ts';
import { installationPayload, pushPayload } from './webhooks.ts';

const database = useTestDatabase('idse_app_outbox');
let h: Harness | undefined;
let proxy: TcpProxy | undefined;
let store: Store | undefined;
afterEach(async () => {
  await h?.close();
  await store?.close();
  await proxy?.close();
  h = proxy = store = undefined;
});

/** Reads the database directly, not through the proxy. */
async function query<R extends pg.QueryResultRow>(text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: database().url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('mirror outbox', () => {
  it('keeps the mirror of a run whose database went down mid-run, and replays it once the database is back', async () => {
    const admin = new URL(PG_ADMIN_URL);
    proxy = await TcpProxy.start({ host: admin.hostname, port: Number(admin.port || 5432) });
    store = await openPostgresStore({
      connectionString: proxy.url(database().url),
      connectionTimeoutMillis: 1000,
    });
    const outbox = new FileOutbox(tempDir('idse-outbox-'));
    h = await startHarness({ app: { store: new StoreMirror(store, { outbox, retryMs: 100 }) } });
    expect((await h.send('installation', installationPayload(TARGET, 'created'))).status).toBe(200);
    expect(await query('select count(*)::int as n from idse.repositories')).toEqual([{ n: 1 }]);

    // The database refuses connections from the moment the App creates the check run.
    h.github.before('POST /repos/{owner}/{repo}/check-runs', () => proxy!.refuse());
    const sha = h.repo.commit(cleanSessions('s1', 's2'));
    const delivery = 'push-while-the-database-is-down';
    expect(
      (await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }), { delivery })).status,
    ).toBe(200);
    await h.settle();

    expect(h.github.checkRuns).toMatchObject([{ head_sha: sha, status: 'completed', conclusion: 'success' }]);
    expect(outbox.pending()).toHaveLength(1);
    expect(logLines(h, 40)).toContainEqual(
      expect.stringMatching(
        /^idse: store: could not mirror the validation of acme\/docs@\w{7} \(.*\[store-unavailable\]\); kept in the outbox, replayed when the store is back$/,
      ),
    );
    // Replays keep failing while the database is down, and keep the entry.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(outbox.pending()).toHaveLength(1);
    expect(await query(`select count(*)::int as n from idse.sync_events where kind = 'validation'`)).toEqual([
      { n: 0 },
    ]);

    await proxy.accept();
    await until(() => outbox.pending().length === 0, 'the outbox to drain');

    const docs = h.repo
      .git('ls-tree', '-r', sha)
      .split('\n')
      .filter((line) => line.includes('\tprojects/'))
      .map((line) => {
        const [meta, path] = line.split('\t');
        return { path: path!, blob_sha: meta!.split(' ')[2]! };
      })
      .sort((a, b) => a.path.localeCompare(b.path));
    expect(await query('select path, blob_sha, commit_sha from idse.artifacts order by path')).toEqual(
      docs.map((d) => ({ ...d, commit_sha: sha })),
    );
    expect(await query('select delivery_id, kind, commit_sha from idse.sync_events order by id')).toEqual([
      { delivery_id: expect.any(String), kind: 'installation', commit_sha: null },
      { delivery_id: delivery, kind: 'validation', commit_sha: sha },
    ]);
    expect(await query('select name, runs from idse.sessions order by name')).toEqual([
      { name: 's1', runs: 1 },
      { name: 's2', runs: 1 },
    ]);
    expect(logLines(h)).toContain('idse: store: outbox replayed 1 writes');
  });
});
