/**
 * The App mirroring into the persistent store: a PGlite started from the migrated template dump,
 * signed webhooks over HTTP, the GitHub stand-in serving a real repository.
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreMirror } from '../../../src/app/mirror/store-mirror.ts';
import type { JobQueue, RunJob } from '../../../src/app/queue/jobs.ts';
import type { ValidationJob } from '../../../src/app/webhooks/events.ts';
import { createPgliteStore, startPglite } from '../../../src/store/backends/pglite.ts';
import type { Store } from '../../../src/store/store.ts';
import { counts, type Db, migratedPgliteDump, pgliteDb } from '../../integration/store/harness.ts';
import { ZERO } from './calls.ts';
import { cleanSessions, intentPath, intentWithMarkers } from './docs.ts';
import { type Harness, logLines, startHarness, TARGET } from './harness.ts';
import { installationPayload, pushPayload } from './webhooks.ts';

/**
 * Runs every job it is given, even one whose key it saw: as a second replica (or the App after a
 * restart) would, so a redelivered webhook reaches the store and the store's own dedupe is tested.
 */
class EveryJobQueue implements JobQueue {
  readonly kind = 'memory';
  private run: RunJob | undefined;
  private readonly running = new Set<Promise<void>>();
  async start(run: RunJob): Promise<void> {
    this.run = run;
  }
  async add(job: ValidationJob): Promise<boolean> {
    const run = this.run;
    if (!run) throw new Error('EveryJobQueue: add before start');
    const done: Promise<void> = run(job)
      .catch(() => undefined)
      .finally(() => this.running.delete(done));
    this.running.add(done);
    return true;
  }
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
  close(): Promise<void> {
    return this.idle();
  }
}

let h: Harness | undefined;
let pg: PGlite | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (pg && !pg.closed) await pg.close();
  pg = undefined;
});

async function startWithStore(): Promise<{ store: Store; db: Db; mirror: StoreMirror }> {
  pg = await startPglite({ loadDataDir: await migratedPgliteDump() });
  const store = createPgliteStore(pg);
  const mirror = new StoreMirror(store);
  h = await startHarness({ app: { store: mirror, queue: new EveryJobQueue() } });
  return { store, db: pgliteDb(pg), mirror };
}

/** Blob SHA of each file at `sha`, as git computes it. */
function blobsAt(sha: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of h!.repo.git('ls-tree', '-r', sha).split('\n')) {
    const [meta, path] = line.split('\t');
    out.set(path!, meta!.split(' ')[2]!);
  }
  return out;
}

describe('mirror into the store', () => {
  it('records the client, its repository, and the docs, sessions and sync event of a validated push; a redelivery adds nothing', async () => {
    const { store, db } = await startWithStore();
    const installation = installationPayload(TARGET, 'created');
    const { account } = installation.installation as { account: { id: number; login: string } };
    expect((await h!.send('installation', installation)).status).toBe(200);

    const { rows: clients } = await db.query<{ client_id: string; github_account_id: string; login: string }>(
      'select client_id, github_account_id::text, login from idse.clients',
    );
    expect(clients).toEqual([
      { client_id: expect.any(String), github_account_id: String(account.id), login: account.login },
    ]);
    const clientId = clients[0]!.client_id;
    expect(
      (await db.query('select id::int, installation_id::int, full_name, removed_at from idse.repositories'))
        .rows,
    ).toEqual([
      { id: TARGET.repoId, installation_id: TARGET.installationId, full_name: 'acme/docs', removed_at: null },
    ]);

    const sha = h!.repo.commit({
      ...cleanSessions('s2'),
      [intentPath('demo', 's1')]: intentWithMarkers(2),
      'README.md': '# not a doc\n',
    });
    const delivery = 'push-delivery-1';
    const push = pushPayload(TARGET, { before: ZERO, after: sha });
    expect((await h!.send('push', push, { delivery })).status).toBe(200);
    await h!.settle();

    const [run] = h!.github.checkRuns;
    expect(run).toMatchObject({ head_sha: sha, status: 'completed', conclusion: 'failure' });

    const blobs = blobsAt(sha);
    const { rows: artifacts } = await db.query<Record<string, unknown>>(
      `select a.path, a.blob_sha, a.kind, p.name as project, s.name as session, a.commit_sha,
              a.summary, jsonb_path_query_array(a.diagnostics, '$[*].code') as codes
         from idse.artifacts a left join idse.projects p on p.id = a.project_id
         left join idse.sessions s on s.id = a.session_id order by a.path`,
    );
    const s1 = intentPath('demo', 's1');
    const s2 = intentPath('demo', 's2');
    expect(artifacts).toEqual([
      {
        path: s1,
        blob_sha: blobs.get(s1),
        kind: 'intent',
        project: 'demo',
        session: 's1',
        commit_sha: sha,
        summary: expect.objectContaining({ markers: 2 }),
        codes: ['IDSE010', 'IDSE010'],
      },
      {
        path: s2,
        blob_sha: blobs.get(s2),
        kind: 'intent',
        project: 'demo',
        session: 's2',
        commit_sha: sha,
        summary: expect.objectContaining({ title: 'Intent: session s2', markers: 0 }),
        codes: [],
      },
    ]);

    const { rows: refs } = await db.query(
      'select ref, path, blob_sha, committed_at from idse.artifact_refs order by path',
    );
    // The push's own commit time, not when the check finished: late deliveries stay in order.
    const committedAt = new Date((push.head_commit as { timestamp: string }).timestamp);
    expect(refs).toEqual([
      { ref: 'refs/heads/main', path: s1, blob_sha: blobs.get(s1), committed_at: committedAt },
      { ref: 'refs/heads/main', path: s2, blob_sha: blobs.get(s2), committed_at: committedAt },
    ]);

    const { rows: events } = await db.query<Record<string, unknown>>(
      `select id::int, kind, delivery_id, ref, commit_sha, repository_id::int from idse.sync_events
        where kind = 'validation'`,
    );
    expect(events).toEqual([
      {
        id: expect.any(Number),
        kind: 'validation',
        delivery_id: delivery,
        ref: 'refs/heads/main',
        commit_sha: sha,
        repository_id: TARGET.repoId,
      },
    ]);

    const summary = await store.clientSummary(clientId);
    expect(summary).toMatchObject({ client_id: clientId, runs: 2, passed_runs: 1, pass_rate: 0.5 });
    expect(
      summary.sessions.map((s) => ({
        session: s.session,
        ref: s.ref,
        commit_sha: s.commit_sha,
        stage: s.stage,
        errors: s.errors,
        warnings: s.warnings,
      })),
    ).toEqual([
      { session: 's1', ref: 'refs/heads/main', commit_sha: sha, stage: 'intent', errors: 2, warnings: 0 },
      { session: 's2', ref: 'refs/heads/main', commit_sha: sha, stage: 'intent', errors: 0, warnings: 0 },
    ]);

    const before = await counts(db, clientId);
    expect(before).toEqual({
      clients: 1,
      installations: 1,
      repositories: 1,
      projects: 1,
      sessions: 2,
      session_states: 2,
      sync_events: 2,
      artifacts: 2,
      artifact_refs: 2,
      analytics: 2,
      api_keys: 0,
      dashboard_signouts: 0,
      sync_blobs: 0,
      sync_requests: 0,
      published_docs: 0,
      session_weeks: 2,
    });
    // Each run keeps the session's stage and open markers (the dashboard's trends).
    const { rows: runs } = await db.query(
      'select s.name as session, a.stage, a.markers from idse.analytics a join idse.sessions s on s.id = a.session_id order by s.name',
    );
    expect(runs).toEqual([
      { session: 's1', stage: 'intent', markers: 2 },
      { session: 's2', stage: 'intent', markers: 0 },
    ]);

    // The same delivery again: validated again (this queue does not dedupe), written once.
    expect((await h!.send('push', push, { delivery })).status).toBe(200);
    await h!.settle();
    expect(h!.github.checkRuns.map((r) => r.conclusion)).toEqual(['failure', 'failure']);
    expect(await counts(db, clientId)).toEqual(before);
    expect(logLines(h!)).toContain(
      `idse: store: acme/docs@${sha.slice(0, 7)} mirrored as sync event ${events[0]!.id} (redelivery, nothing written)`,
    );
  });

  it('writes one sync event for an installation webhook however often it is delivered', async () => {
    const { db } = await startWithStore();
    const payload = installationPayload(TARGET, 'created');
    for (let i = 0; i < 3; i++) {
      expect((await h!.send('installation', payload, { delivery: 'installation-once' })).status).toBe(200);
    }
    const { rows } = await db.query('select delivery_id, kind from idse.sync_events');
    expect(rows).toEqual([{ delivery_id: 'installation-once', kind: 'installation' }]);
  });

  it('after a restart, a push to an installed repository is mirrored by the repository id in the webhook', async () => {
    const { store, db } = await startWithStore();
    expect((await h!.send('installation', installationPayload(TARGET, 'created'))).status).toBe(200);
    await h!.close();
    // A new App process over the same store: it has seen no installation event itself.
    h = await startHarness({ app: { store: new StoreMirror(store), queue: new EveryJobQueue() } });
    const sha = h.repo.commit(cleanSessions('s1'));
    expect((await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }))).status).toBe(200);
    await h.settle();
    const { rows } = await db.query<{ kind: string; commit_sha: string; repository_id: number }>(
      `select kind, commit_sha, repository_id::int from idse.sync_events where kind = 'validation'`,
    );
    expect(rows).toEqual([{ kind: 'validation', commit_sha: sha, repository_id: TARGET.repoId }]);
  });

  it('a push for an installation the store never recorded records it from the webhook, then the validation', async () => {
    const { db } = await startWithStore();
    const sha = h!.repo.commit(cleanSessions('s1'));
    const push = pushPayload(TARGET, { before: ZERO, after: sha });
    expect((await h!.send('push', push, { delivery: 'first-push' })).status).toBe(200);
    await h!.settle();
    const owner = (push.repository as { owner: { id: number; login: string } }).owner;
    const clients = await db.query('select github_account_id::int as account, login from idse.clients');
    expect(clients.rows).toEqual([{ account: owner.id, login: owner.login }]);
    const events = await db.query<{ delivery_id: string; kind: string }>(
      'select delivery_id, kind from idse.sync_events order by id',
    );
    expect(events.rows).toEqual([
      { delivery_id: 'first-push:installation', kind: 'installation' },
      { delivery_id: 'first-push', kind: 'validation' },
    ]);
    // Once per process: the next push writes its validation only.
    const next = h!.repo.commit(cleanSessions('s1', 's2'));
    const second = pushPayload(TARGET, { before: sha, after: next });
    expect((await h!.send('push', second, { delivery: 'second-push' })).status).toBe(200);
    await h!.settle();
    const after = await db.query<{ n: number }>(
      `select count(*)::int as n from idse.sync_events where kind = 'installation'`,
    );
    expect(after.rows).toEqual([{ n: 1 }]);
  });

  it('a store that fails still completes the check run, and logs one line with the store error code', async () => {
    const { store } = await startWithStore();
    expect((await h!.send('installation', installationPayload(TARGET, 'created'))).status).toBe(200);
    await store.close();

    const sha = h!.repo.commit(cleanSessions('s1'));
    expect((await h!.send('push', pushPayload(TARGET, { before: ZERO, after: sha }))).status).toBe(200);
    await h!.settle();

    expect(h!.github.checkRuns).toMatchObject([
      { head_sha: sha, status: 'completed', conclusion: 'success' },
    ]);
    const errors = logLines(h!, 50);
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^idse: store: could not mirror the validation of acme/docs@${sha.slice(0, 7)}: .* \\[store-unavailable\\]$`,
        ),
      ),
    ]);
  });
});
