/**
 * The store contract: one suite every backend must pass (pglite.test.ts, postgres.test.ts,
 * supabase.test.ts call it with their own harness). Tests share one database per backend and keep
 * apart by giving every test its own tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from '../../../src/auth/keys.ts';
import type { Store } from '../../../src/store/store.ts';
import { describeAgency } from './agency.ts';
import { describeFactsContract } from './facts-contract.ts';
import { artifact, commitSha, mirror, session, type Tenant, tenant } from './fixtures.ts';
import { counts, type Db, type StoreHarness, storeError } from './harness.ts';
import { describeRls } from './rls.ts';
import { describeSyncContract } from './sync-contract.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function describeStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    let db: Db;
    beforeAll(async () => {
      h = await open();
      store = h.store;
      db = h.db;
    }, 120_000);
    afterAll(async () => {
      await h?.close();
    });

    const installed = async (t: Tenant) => (await store.recordInstallation(t.installation())).client_id;

    it('records an installation as a client with its repositories, and repositories removed later', async () => {
      const t = tenant();
      const site = { id: t.repo.id + 1, full_name: `${t.login}/site` };
      const created = await store.recordInstallation(t.installation({ repositories_added: [t.repo, site] }));
      expect(created).toEqual({
        duplicate: false,
        sync_event_id: expect.any(Number),
        client_id: expect.stringMatching(UUID),
        installation_id: t.installationId,
        repositories_added: 2,
        repositories_removed: 0,
      });
      const client = created.client_id;
      const clients = await db.query(
        'select login, github_account_id::int as account, account_type from idse.clients where client_id = $1',
        [client],
      );
      expect(clients.rows).toEqual([{ login: t.login, account: t.accountId, account_type: 'Organization' }]);

      const removed = await store.recordInstallation(
        t.installation({
          delivery_id: t.delivery('removed'),
          action: 'removed',
          repositories_added: [],
          repositories_removed: [site],
        }),
      );
      expect(removed).toMatchObject({
        duplicate: false,
        client_id: client,
        repositories_added: 0,
        repositories_removed: 1,
      });
      const repos = await db.query(
        `select id::int, full_name, default_branch, installation_id::int as installation, removed_at is not null as removed
         from idse.repositories where client_id = $1 order by id`,
        [client],
      );
      expect(repos.rows).toEqual([
        {
          id: t.repo.id,
          full_name: t.repo.full_name,
          default_branch: 'main',
          installation: t.installationId,
          removed: false,
        },
        {
          id: site.id,
          full_name: site.full_name,
          default_branch: null,
          installation: t.installationId,
          removed: true,
        },
      ]);
      const events = await db.query(
        'select kind, action, stats from idse.sync_events where client_id = $1 order by id',
        [client],
      );
      expect(events.rows).toEqual([
        {
          kind: 'installation',
          action: 'created',
          stats: { repositories_added: 2, repositories_removed: 0 },
        },
        {
          kind: 'installation',
          action: 'removed',
          stats: { repositories_added: 0, repositories_removed: 1 },
        },
      ]);
    });

    it('ignores a redelivered installation event; a deleted installation takes no more mirrors', async () => {
      const t = tenant();
      const first = await store.recordInstallation(t.installation());
      const before = await counts(db, first.client_id);
      const again = await store.recordInstallation(t.installation());
      expect(again).toEqual({ ...first, duplicate: true, repositories_added: 0, repositories_removed: 0 });
      expect(await counts(db, first.client_id)).toEqual(before);

      await store.recordInstallation(
        t.installation({ delivery_id: t.delivery('deleted'), action: 'deleted' }),
      );
      const state = await db.query(
        `select (select deleted_at is not null from idse.installations where id = $2) as deleted,
                (select count(*)::int from idse.repositories where client_id = $1 and removed_at is null) as active`,
        [first.client_id, t.installationId],
      );
      expect(state.rows).toEqual([{ deleted: true, active: 0 }]);
      const error = await storeError(
        store.recordValidation(
          mirror(t, { delivery: 'late-push', commit: 'c1', at: '2026-03-01T10:00:00Z' }),
        ),
      );
      expect(error.code).toBe('store-conflict');
      expect(error.message).toBe(
        `record validation: installation ${t.installationId} is not recorded (or was deleted): record its installation event first`,
      );
    });

    it('mirrors a validation run into artifacts, current pointers, sessions, analytics and a sync event', async () => {
      const t = tenant();
      const client = await installed(t);
      const intent1 = await artifact({
        path: 'projects/p/sessions/s1/intents/intent.md',
        content: '# Intent one',
        project: 'p',
        session: 's1',
        diagnostics: [
          { code: 'IDSE010', severity: 'error' },
          { code: 'IDSE010', severity: 'error' },
        ],
      });
      const spec1 = await artifact({
        path: 'projects/p/sessions/s1/specs/spec.md',
        kind: 'spec',
        content: '# Spec one',
        project: 'p',
        session: 's1',
        diagnostics: [{ code: 'IDSE009', severity: 'warning' }],
      });
      const intent2 = await artifact({
        path: 'projects/p/sessions/s2/intents/intent.md',
        content: '# Intent two',
        project: 'p',
        session: 's2',
      });
      const readme = await artifact({ path: 'README.md', kind: 'readme', content: '# Docs' });
      const result = await store.recordValidation(
        mirror(t, {
          delivery: 'push-1',
          commit: 'c1',
          at: '2026-03-01T10:00:00Z',
          artifacts: [intent1, spec1, intent2, readme],
          sessions: [
            session('p', 's1', { stage: 'spec', status: 'in_progress', errors: 2, warnings: 1 }),
            session('p', 's2'),
          ],
        }),
      );
      expect(result).toEqual({
        duplicate: false,
        sync_event_id: expect.any(Number),
        client_id: client,
        repository_id: t.repo.id,
        artifacts: 4,
        current_changed: 4,
        sessions: 2,
      });
      expect(await counts(db, client)).toEqual({
        clients: 1,
        installations: 1,
        repositories: 1,
        projects: 1,
        sessions: 2,
        session_states: 2,
        sync_events: 2,
        artifacts: 4,
        artifact_refs: 4,
        analytics: 2,
        api_keys: 0,
        dashboard_signouts: 0,
        sync_blobs: 0,
        sync_requests: 0,
        published_docs: 0,
        // One week of runs for each session.
        session_weeks: 2,
      });

      const artifacts = await db.query(
        `select a.path, a.kind, a.blob_sha, s.name as session, a.commit_sha, jsonb_array_length(a.diagnostics) as findings
         from idse.artifacts a left join idse.sessions s on s.id = a.session_id
         where a.client_id = $1 order by a.path`,
        [client],
      );
      expect(artifacts.rows).toEqual([
        {
          path: 'README.md',
          kind: 'readme',
          blob_sha: readme.blob_sha,
          session: null,
          commit_sha: commitSha('c1'),
          findings: 0,
        },
        {
          path: intent1.path,
          kind: 'intent',
          blob_sha: intent1.blob_sha,
          session: 's1',
          commit_sha: commitSha('c1'),
          findings: 2,
        },
        {
          path: spec1.path,
          kind: 'spec',
          blob_sha: spec1.blob_sha,
          session: 's1',
          commit_sha: commitSha('c1'),
          findings: 1,
        },
        {
          path: intent2.path,
          kind: 'intent',
          blob_sha: intent2.blob_sha,
          session: 's2',
          commit_sha: commitSha('c1'),
          findings: 0,
        },
      ]);
      // git's blob id of the content: the same key the CLI (isomorphic-git) and the App (GitHub) use.
      expect(readme.blob_sha).toBe('cc330182106b239a5283a7cd1376bc3666da676b'); // printf '# Docs' | git hash-object --stdin

      const current = await db.query(
        `select path, blob_sha from idse.current_artifacts where repository_id = $1 and ref = 'refs/heads/main' order by path`,
        [t.repo.id],
      );
      expect(current.rows).toEqual([
        { path: 'README.md', blob_sha: readme.blob_sha },
        { path: intent1.path, blob_sha: intent1.blob_sha },
        { path: spec1.path, blob_sha: spec1.blob_sha },
        { path: intent2.path, blob_sha: intent2.blob_sha },
      ]);

      const analytics = await db.query(
        `select s.name as session, a.errors, a.warnings, a.passed, a.rules, a.commit_sha
         from idse.analytics a join idse.sessions s on s.id = a.session_id where a.client_id = $1 order by s.name`,
        [client],
      );
      expect(analytics.rows).toEqual([
        {
          session: 's1',
          errors: 2,
          warnings: 1,
          passed: false,
          rules: { IDSE009: 1, IDSE010: 2 },
          commit_sha: commitSha('c1'),
        },
        { session: 's2', errors: 0, warnings: 0, passed: true, rules: {}, commit_sha: commitSha('c1') },
      ]);
      const event = await db.query(
        'select kind, ref, commit_sha, stats from idse.sync_events where id = $1',
        [result.sync_event_id],
      );
      expect(event.rows).toEqual([
        {
          kind: 'validation',
          ref: 'refs/heads/main',
          commit_sha: commitSha('c1'),
          stats: { artifacts: 4, removed_paths: 0, current_changed: 4, sessions: 2 },
        },
      ]);

      expect(await store.clientSummary(client)).toEqual({
        client_id: client,
        runs: 2,
        passed_runs: 1,
        pass_rate: 0.5,
        sessions: [
          {
            repository_id: t.repo.id,
            repository: t.repo.full_name,
            project: 'p',
            session: 's1',
            ref: 'refs/heads/main',
            commit_sha: commitSha('c1'),
            committed_at: '2026-03-01T10:00:00.000000Z',
            stage: 'spec',
            status: 'in_progress',
            errors: 2,
            warnings: 1,
            coverage: {},
            runs: 1,
            passed_runs: 0,
            pass_rate: 0,
          },
          {
            repository_id: t.repo.id,
            repository: t.repo.full_name,
            project: 'p',
            session: 's2',
            ref: 'refs/heads/main',
            commit_sha: commitSha('c1'),
            committed_at: '2026-03-01T10:00:00.000000Z',
            stage: 'intent',
            status: 'draft',
            errors: 0,
            warnings: 0,
            coverage: {},
            runs: 1,
            passed_runs: 1,
            pass_rate: 1,
          },
        ],
      });
    });

    it('writes nothing new for a redelivered webhook, even when the copies arrive together', async () => {
      const t = tenant();
      const client = await installed(t);
      const doc = await artifact({
        path: 'projects/p/sessions/s/intents/intent.md',
        content: 'v1',
        project: 'p',
        session: 's',
      });
      const payload = mirror(t, {
        delivery: 'push',
        commit: 'c1',
        at: '2026-03-01T10:00:00Z',
        artifacts: [doc],
        sessions: [session('p', 's')],
      });
      const first = await store.recordValidation(payload);
      const before = await counts(db, client);
      const again = await store.recordValidation(payload);
      expect(again).toEqual({
        duplicate: true,
        sync_event_id: first.sync_event_id,
        client_id: client,
        repository_id: t.repo.id,
        artifacts: 0,
        current_changed: 0,
        sessions: 0,
      });
      expect(await counts(db, client)).toEqual(before);

      const other = mirror(t, {
        delivery: 'push-2',
        commit: 'c2',
        at: '2026-03-02T10:00:00Z',
        sessions: [session('p', 's')],
      });
      const together = await Promise.all([1, 2, 3].map(() => store.recordValidation(other)));
      expect(together.map((r) => r.duplicate).sort()).toEqual([false, true, true]);
      expect(new Set(together.map((r) => r.sync_event_id)).size).toBe(1);
      expect(await counts(db, client)).toEqual({
        ...before,
        sync_events: before.sync_events! + 1,
        analytics: 2,
        // 2026-03-01 is a Sunday, 03-02 a Monday: the second run falls in the next week.
        session_weeks: 2,
      });
      const runs = await db.query('select runs, passed_runs from idse.sessions where client_id = $1', [
        client,
      ]);
      expect(runs.rows).toEqual([{ runs: 2, passed_runs: 2 }]);
    });

    it('keeps the current pointer when an older commit arrives after a newer one', async () => {
      const t = tenant();
      const client = await installed(t);
      const path = 'projects/p/sessions/s/intents/intent.md';
      const newer = await artifact({ path, content: 'newer', project: 'p', session: 's' });
      const older = await artifact({
        path,
        content: 'older',
        project: 'p',
        session: 's',
        diagnostics: [{ code: 'IDSE010', severity: 'error' }],
      });
      const r1 = await store.recordValidation(
        mirror(t, {
          delivery: 'push-new',
          commit: 'new',
          at: '2026-03-02T10:00:00Z',
          artifacts: [newer],
          sessions: [session('p', 's', { stage: 'spec' })],
        }),
      );
      const r2 = await store.recordValidation(
        mirror(t, {
          delivery: 'push-old',
          commit: 'old',
          at: '2026-03-01T10:00:00Z',
          artifacts: [older],
          sessions: [session('p', 's', { errors: 1 })],
        }),
      );
      expect([r1.current_changed, r2.current_changed]).toEqual([1, 0]);
      const current = await db.query(
        'select blob_sha, commit_sha from idse.artifact_refs where repository_id = $1 and path = $2',
        [t.repo.id, path],
      );
      expect(current.rows).toEqual([{ blob_sha: newer.blob_sha, commit_sha: commitSha('new') }]);
      // Both versions are stored, and both runs count in the analytics.
      const versions = await db.query(
        'select blob_sha from idse.artifacts where client_id = $1 order by committed_at',
        [client],
      );
      expect(versions.rows).toEqual([{ blob_sha: older.blob_sha }, { blob_sha: newer.blob_sha }]);
      const state = await db.query(
        'select commit_sha, stage, errors from idse.session_states where client_id = $1',
        [client],
      );
      expect(state.rows).toEqual([{ commit_sha: commitSha('new'), stage: 'spec', errors: 0 }]);
      const summary = await store.clientSummary(client);
      expect(summary).toMatchObject({ runs: 2, passed_runs: 1, pass_rate: 0.5 });
      expect(summary.sessions.map((s) => [s.commit_sha, s.stage, s.errors])).toEqual([
        [commitSha('new'), 'spec', 0],
      ]);
    });

    it('moves the pointer on a force-push to a newer commit, and deleted paths stay deleted', async () => {
      const t = tenant();
      await installed(t);
      const a1 = await artifact({ path: 'docs/a.md', content: 'a, first history' });
      const b1 = await artifact({ path: 'docs/b.md', content: 'b, first history' });
      await store.recordValidation(
        mirror(t, {
          delivery: 'push-1',
          commit: 'old-head',
          at: '2026-03-01T10:00:00Z',
          artifacts: [a1, b1],
        }),
      );
      // The rewritten history: a different commit (not a descendant), a.md rewritten, b.md gone.
      const a2 = await artifact({ path: 'docs/a.md', content: 'a, rewritten' });
      const forced = await store.recordValidation(
        mirror(t, {
          delivery: 'force-push',
          commit: 'new-head',
          at: '2026-03-01T12:00:00Z',
          artifacts: [a2],
          removed_paths: ['docs/b.md'],
        }),
      );
      expect(forced.current_changed).toBe(2);
      const currentOnMain = async () =>
        (
          await db.query<{ path: string; blob_sha: string | null; commit_sha: string }>(
            `select path, blob_sha, commit_sha from idse.artifact_refs where repository_id = $1 and ref = 'refs/heads/main' order by path`,
            [t.repo.id],
          )
        ).rows;
      expect(await currentOnMain()).toEqual([
        { path: 'docs/a.md', blob_sha: a2.blob_sha, commit_sha: commitSha('new-head') },
        { path: 'docs/b.md', blob_sha: null, commit_sha: commitSha('new-head') },
      ]);
      // A late delivery from the abandoned history neither resurrects b.md nor rolls a.md back.
      const late = await store.recordValidation(
        mirror(t, { delivery: 'late', commit: 'abandoned', at: '2026-03-01T11:00:00Z', artifacts: [a1, b1] }),
      );
      expect(late.current_changed).toBe(0);
      expect(await currentOnMain()).toEqual([
        { path: 'docs/a.md', blob_sha: a2.blob_sha, commit_sha: commitSha('new-head') },
        { path: 'docs/b.md', blob_sha: null, commit_sha: commitSha('new-head') },
      ]);
      const visible = await db.query(`select path from idse.current_artifacts where repository_id = $1`, [
        t.repo.id,
      ]);
      expect(visible.rows).toEqual([{ path: 'docs/a.md' }]);
    });

    it('ends consistent when deliveries for one repository run concurrently', async () => {
      const t = tenant();
      const client = await installed(t);
      const paths = Array.from(
        { length: 20 },
        (_, i) => `projects/p/sessions/s/docs/${String(i).padStart(2, '0')}.md`,
      );
      // Eight commits, delivered all at once in a shuffled order; the newest is commit 6.
      const order = [3, 0, 6, 1, 5, 2, 7, 4];
      const hours = [1, 2, 3, 4, 5, 6, 9, 7];
      const payloads = await Promise.all(
        order.map(async (n) =>
          mirror(t, {
            delivery: `push-${n}`,
            commit: `c${n}`,
            at: `2026-03-01T${String(hours[n]).padStart(2, '0')}:00:00Z`,
            artifacts: await Promise.all(
              paths.map((path) =>
                artifact({ path, content: `${path} at c${n}`, project: 'p', session: 's' }),
              ),
            ),
            sessions: [session('p', 's', { errors: n % 2 })],
          }),
        ),
      );
      const results = await Promise.all(payloads.map((p) => store.recordValidation(p)));
      expect(results.every((r) => !r.duplicate)).toBe(true);
      const pointers = await db.query<{ commit_sha: string; n: number }>(
        'select commit_sha, count(*)::int as n from idse.artifact_refs where repository_id = $1 group by commit_sha',
        [t.repo.id],
      );
      expect(pointers.rows).toEqual([{ commit_sha: commitSha('c6'), n: 20 }]);
      expect(await counts(db, client)).toMatchObject({
        artifacts: 160,
        artifact_refs: 20,
        sync_events: 9,
        analytics: 8,
        session_states: 1,
      });
      const state = await db.query('select commit_sha from idse.session_states where client_id = $1', [
        client,
      ]);
      expect(state.rows).toEqual([{ commit_sha: commitSha('c6') }]);
      expect(await store.clientSummary(client)).toMatchObject({ runs: 8, passed_runs: 4, pass_rate: 0.5 });
    });

    it('rejects an invalid payload with invalid-payload and writes nothing', async () => {
      const t = tenant();
      const client = await installed(t);
      const before = await counts(db, client);
      const doc = await artifact({ path: 'docs/a.md', content: 'a' });
      const valid = mirror(t, {
        delivery: 'push',
        commit: 'c1',
        at: '2026-03-01T10:00:00Z',
        artifacts: [doc],
      });
      const invalid: [string, unknown][] = [
        ['no commit', { ...valid, commit_sha: undefined }],
        ['bad blob id', { ...valid, artifacts: [{ ...doc, blob_sha: 'not-a-sha' }] }],
        ['bad time', { ...valid, committed_at: 'yesterday' }],
        ['short ref', { ...valid, ref: 'main' }],
        ['duplicate path', { ...valid, artifacts: [doc, doc] }],
        ['deleted and present', { ...valid, removed_paths: ['docs/a.md'] }],
        ['negative errors', { ...valid, sessions: [session('p', 's', { errors: -1 })] }],
        [
          'bad diagnostic code',
          { ...valid, artifacts: [{ ...doc, diagnostics: [{ code: 'E1', severity: 'error' }] }] },
        ],
      ];
      for (const [label, payload] of invalid) {
        const error = await storeError(store.recordValidation(payload as never));
        expect({ label, code: error.code, message: error.message.startsWith('record validation: ') }).toEqual(
          {
            label,
            code: 'invalid-payload',
            message: true,
          },
        );
      }
      expect(
        (await storeError(store.recordInstallation({ ...t.installation(), account: undefined } as never)))
          .code,
      ).toBe('invalid-payload');
      expect(await counts(db, client)).toEqual(before);
    });

    it('rolls back everything when the SQL function fails half-way', async () => {
      const t = tenant();
      const client = await installed(t);
      const before = await counts(db, client);
      const doc = await artifact({ path: 'docs/a.md', content: 'a', project: 'p', session: 's' });
      // Past the checks: repository, sync event, project, session and artifact rows are written before
      // the session state's `errors` fails its integer cast.
      const payload = {
        ...mirror(t, { delivery: 'push', commit: 'c1', at: '2026-03-01T10:00:00Z', artifacts: [doc] }),
        sessions: [{ project: 'p', session: 's', errors: 'many', warnings: 0 }],
      };
      const failure = await db.as('service_role', null, async (q) => {
        try {
          await q('select idse.record_validation($1::jsonb)', [JSON.stringify(payload)]);
          return 'no error';
        } catch (error) {
          return (error as { code?: string }).code;
        }
      });
      expect(failure).toBe('22P02');
      // db.as rolls back anyway, so try the same through a committed call: nothing may remain.
      await db
        .query(`select idse.record_validation($1::jsonb)`, [JSON.stringify(payload)])
        .catch(() => undefined);
      expect(await counts(db, client)).toEqual(before);
      expect(
        (
          await db.query('select count(*)::int as n from idse.sync_events where delivery_id = $1', [
            payload.delivery_id,
          ])
        ).rows,
      ).toEqual([{ n: 0 }]);
    });

    it("takes a session's state and runs from the default branch; other refs are its branches", async () => {
      const t = tenant();
      const client = await installed(t);
      await store.recordValidation(
        mirror(t, {
          delivery: 'main',
          commit: 'm1',
          at: '2026-03-01T10:00:00Z',
          sessions: [session('p', 'a', { stage: 'plan', markers: 1 })],
        }),
      );
      // A work-in-progress branch, pushed later, with errors: it changes neither session's state.
      await store.recordValidation(
        mirror(t, {
          delivery: 'feature',
          ref: 'refs/heads/feature',
          commit: 'f1',
          at: '2026-03-05T10:00:00Z',
          sessions: [
            session('p', 'a', { stage: 'tasks', errors: 3, markers: 7, rules: { IDSE012: 3 } }),
            session('p', 'b', { stage: 'spec', warnings: 2 }),
          ],
        }),
      );
      const summary = await store.clientSummary(client);
      const rows = (s: typeof summary) =>
        s.sessions.map((x) => ({
          session: x.session,
          ref: x.ref,
          stage: x.stage,
          runs: x.runs,
          pass_rate: x.pass_rate,
        }));
      expect(rows(summary)).toEqual([
        { session: 'a', ref: 'refs/heads/main', stage: 'plan', runs: 1, pass_rate: 1 },
        { session: 'b', ref: null, stage: null, runs: 0, pass_rate: null },
      ]);
      expect(summary).toMatchObject({ runs: 1, passed_runs: 1, pass_rate: 1 });
      const metrics = (await store.agencyMetrics({ clientId: client, since: '2026-02-23' }))!;
      expect(metrics.now).toMatchObject({
        validated: 1,
        compliant: 1,
        runs: 1,
        passed_runs: 1,
        open_markers: 1,
      });
      expect([metrics.stages, metrics.rules]).toEqual([{ plan: 1 }, {}]);
      expect(metrics.weeks.slice(0, 2).map((w) => [w.week, w.runs, w.open_markers])).toEqual([
        ['2026-02-23', 1, 1],
        ['2026-03-02', 0, 1],
      ]);

      const [a] = await store.agencySessions({ clientId: client });
      expect(await store.agencyBranches({ sessionId: a!.session_id })).toEqual([
        expect.objectContaining({
          ref: 'refs/heads/main',
          default: true,
          stage: 'plan',
          errors: 0,
          markers: 1,
          runs: 1,
        }),
        expect.objectContaining({
          ref: 'refs/heads/feature',
          default: false,
          stage: 'tasks',
          errors: 3,
          markers: 7,
          runs: 1,
        }),
      ]);
      expect((await store.agencyRuns({ sessionId: a!.session_id })).map((r) => r.ref)).toEqual([
        'refs/heads/feature',
        'refs/heads/main',
      ]);
      expect((await store.agencyRuns({ sessionId: a!.session_id, ref: 'refs/heads/feature' })).length).toBe(
        1,
      );
      expect(await store.agencyBranches({ sessionId: a!.session_id, clientId: crypto.randomUUID() })).toEqual(
        [],
      );

      // The repository's default branch becomes feature: states, runs and trends follow it.
      await store.recordInstallation(
        t.installation({
          delivery_id: t.delivery('default-branch'),
          action: 'added',
          repositories_added: [{ ...t.repo, default_branch: 'feature' }],
        }),
      );
      const moved = await store.clientSummary(client);
      expect(rows(moved)).toEqual([
        { session: 'a', ref: 'refs/heads/feature', stage: 'tasks', runs: 1, pass_rate: 0 },
        { session: 'b', ref: 'refs/heads/feature', stage: 'spec', runs: 1, pass_rate: 1 },
      ]);
      const after = (await store.agencyMetrics({ clientId: client, since: '2026-02-23' }))!;
      expect(after.rules).toEqual({ IDSE012: 3 });
      expect(after.weeks.slice(0, 2).map((w) => [w.week, w.runs, w.passed_runs, w.open_markers])).toEqual([
        ['2026-02-23', 0, 0, 0],
        ['2026-03-02', 2, 1, 7],
      ]);
      const listed = await store.agencySessions({ clientId: client });
      expect(listed.map((s) => [s.session, s.ref, s.stage])).toEqual([
        ['a', 'refs/heads/feature', 'tasks'],
        ['b', 'refs/heads/feature', 'spec'],
      ]);

      const empty = await store.clientSummary(crypto.randomUUID());
      expect(empty).toMatchObject({ runs: 0, passed_runs: 0, pass_rate: null, sessions: [] });
      expect((await storeError(store.clientSummary('not-a-uuid'))).code).toBe('invalid-payload');
    });

    it('counts every ref, newest state first, while a repository has no known default branch', async () => {
      const t = tenant();
      const repo = { id: t.repo.id, full_name: t.repo.full_name };
      const client = (await store.recordInstallation(t.installation({ repositories_added: [repo] })))
        .client_id;
      for (const [ref, commit, at, errors] of [
        ['refs/heads/main', 'u1', '2026-03-01T10:00:00Z', 0],
        ['refs/heads/wip', 'u2', '2026-03-02T10:00:00Z', 2],
      ] as const) {
        await store.recordValidation({
          ...mirror(t, { delivery: commit, ref, commit, at, sessions: [session('p', 'a', { errors })] }),
          repository: repo,
        });
      }
      const summary = await store.clientSummary(client);
      expect(summary.sessions.map((x) => [x.ref, x.errors, x.runs])).toEqual([['refs/heads/wip', 2, 2]]);
    });

    it('adds clients without GitHub by name, and finds GitHub clients by their login', async () => {
      const name = `Workspace-${crypto.randomUUID().slice(0, 8)}`;
      const added = await store.createClient({ name });
      expect(added).toEqual({ client_id: expect.stringMatching(UUID), name, created: true });
      expect(await store.createClient({ name: name.toUpperCase() })).toMatchObject({
        client_id: added.client_id,
        created: false,
      });
      expect(await store.findClient(name.toLowerCase())).toEqual({
        client_id: added.client_id,
        login: name,
        github_account_id: null,
      });
      expect(await store.findClient(added.client_id)).toMatchObject({ login: name });
      const t = tenant();
      const github = await installed(t);
      expect(await store.createClient({ name: t.login })).toMatchObject({
        client_id: github,
        created: false,
      });
      expect(await store.findClient(t.login)).toMatchObject({
        client_id: github,
        github_account_id: t.accountId,
      });
      expect(await store.findClient(`nobody-${crypto.randomUUID()}`)).toBeNull();
      expect((await storeError(store.createClient({ name: '  ' }))).code).toBe('invalid-payload');
    });

    it('keeps API keys as hashes: resolves live ones, lists them, and revoked keys resolve to nothing', async () => {
      const client = (await store.createClient({ name: `keys-${crypto.randomUUID()}` })).client_id;
      const sync = generateApiKey('sync');
      const admin = generateApiKey('admin');
      const created = await store.createApiKey({
        client_id: client,
        project: 'payments',
        scope: 'sync',
        label: 'ci',
        key_prefix: sync.prefix,
        key_hash: sync.hash,
      });
      expect(created).toEqual({
        id: expect.any(Number),
        client_id: client,
        project: 'payments',
        scope: 'sync',
        label: 'ci',
        key_prefix: sync.prefix,
        created_at: expect.any(String),
        last_used_at: null,
        revoked_at: null,
      });
      const agencyWide = await store.createApiKey({
        client_id: null,
        scope: 'admin',
        key_prefix: admin.prefix,
        key_hash: admin.hash,
      });
      expect(agencyWide).toMatchObject({ client_id: null, project: null, scope: 'admin', label: '' });

      const resolved = await store.resolveApiKey(hashApiKey(sync.key));
      expect(resolved).toMatchObject({ id: created.id, client_id: client, last_used_at: expect.any(String) });
      expect(await store.resolveApiKey(hashApiKey(`${sync.key}x`))).toBeNull();
      expect(await store.resolveApiKey('not-a-hash')).toBeNull();
      expect((await store.listApiKeys(client)).map((k) => k.id)).toEqual([created.id]);
      expect((await store.listApiKeys()).map((k) => k.id)).toEqual(
        expect.arrayContaining([created.id, agencyWide.id]),
      );
      const { rows } = await db.query<{ n: number }>(
        'select count(*)::int as n from idse.api_keys where key_hash = $1 or key_hash = $2',
        [sync.key, admin.key],
      );
      expect(rows).toEqual([{ n: 0 }]);

      expect(await store.isApiKeyLive(created.id)).toBe(true);
      expect(await store.revokeApiKey(created.id)).toBe(true);
      expect(await store.revokeApiKey(created.id)).toBe(false);
      expect(await store.isApiKeyLive(created.id)).toBe(false);
      expect(await store.isApiKeyLive(agencyWide.id)).toBe(true);
      expect(await store.isApiKeyLive(2 ** 40)).toBe(false);

      // Dashboard sessions: live while their key is and until signed out; each one on its own.
      const [first, second] = [crypto.randomUUID(), crypto.randomUUID()];
      const later = new Date(Date.now() + 3600_000);
      expect(await store.isDashboardSessionLive(agencyWide.id, first)).toBe(true);
      expect(await store.endDashboardSession(agencyWide.id, first, later)).toBe(true);
      expect(await store.endDashboardSession(agencyWide.id, first, later)).toBe(false);
      expect(await store.isDashboardSessionLive(agencyWide.id, first)).toBe(false);
      expect(await store.isDashboardSessionLive(agencyWide.id, second)).toBe(true);
      expect(await store.isDashboardSessionLive(created.id, second)).toBe(false);
      expect((await storeError(store.endDashboardSession(agencyWide.id, 'not-a-uuid', later))).code).toBe(
        'invalid-payload',
      );
      expect(await store.resolveApiKey(sync.hash)).toBeNull();
      expect((await store.listApiKeys(client))[0]).toMatchObject({ revoked_at: expect.any(String) });

      const orphan = generateApiKey('sync');
      const refused = await storeError(
        store.createApiKey({
          client_id: null,
          scope: 'sync',
          key_prefix: orphan.prefix,
          key_hash: orphan.hash,
        }),
      );
      expect(refused.code).toBe('invalid-payload');
      expect(await store.resolveApiKey(orphan.hash)).toBeNull();
    });

    describeSyncContract(() => ({ store, db }));
    describeFactsContract(() => ({ store, db }));

    describeRls(() => ({ store, db }));
    describeAgency(() => ({ store, db }));

    it('passes its backend-specific checks', () => {
      h.afterSuite?.();
    });
  });
}
