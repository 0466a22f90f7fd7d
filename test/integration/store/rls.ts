/**
 * Row-level security, checked table by table: with two tenants, a request carrying tenant A's claims
 * reads and changes none of tenant B's rows; anonymous requests see nothing; the service role sees all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/auth/keys.ts';
import type { Store } from '../../../src/store/store.ts';
import {
  artifact,
  commitSha,
  mirror,
  SERVICE_ONLY_TABLES,
  session,
  TENANT_TABLES,
  type Tenant,
  tenant,
} from './fixtures.ts';
import { counts, type Db, type Query } from './harness.ts';

type Outcome = { rows: number } | { error: string };

/** Runs one statement; its row count, or the SQLSTATE it failed with. */
async function attempt(q: Query, text: string, params: unknown[] = []): Promise<Outcome> {
  try {
    return { rows: (await q(text, params)).rowCount };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

/** A tenant with rows in every tenant table. */
async function populate(store: Store, t: Tenant): Promise<string> {
  const { client_id } = await store.recordInstallation(t.installation());
  const docs = await Promise.all(
    ['intent', 'spec'].map((kind) =>
      artifact({
        path: `projects/p/sessions/s/${kind}.md`,
        kind,
        content: `${t.login} ${kind}`,
        project: 'p',
        session: 's',
        diagnostics: [{ code: 'IDSE010', severity: 'error' }],
      }),
    ),
  );
  await store.recordValidation(
    mirror(t, {
      delivery: 'push',
      commit: `${t.login}-c1`,
      at: '2026-03-01T10:00:00Z',
      artifacts: docs,
      sessions: [session('p', 's', { errors: 2 })],
    }),
  );
  const { prefix, hash } = generateApiKey('sync');
  await store.createApiKey({ client_id, project: 'p', scope: 'sync', key_prefix: prefix, key_hash: hash });
  const admin = generateApiKey('admin');
  const { id } = await store.createApiKey({
    client_id,
    scope: 'admin',
    key_prefix: admin.prefix,
    key_hash: admin.hash,
  });
  await store.endDashboardSession(id, crypto.randomUUID(), new Date(Date.now() + 3600_000));
  await populateSync(store, client_id, t);
  return client_id;
}

/** A synced workspace with one pushed commit, and a published doc. */
async function populateSync(store: Store, clientId: string, t: Tenant): Promise<void> {
  const doc = await artifact({
    path: 'projects/web/notes.md',
    kind: 'doc',
    content: `${t.login} notes`,
    project: 'web',
  });
  const prepared = await store.syncPrepare({
    request_id: crypto.randomUUID(),
    client_id: clientId,
    project: 'web',
    ref: 'refs/heads/main',
    commit_sha: commitSha(`${t.login}-sync`),
    blob_shas: [doc.blob_sha],
    blobs: [{ blob_sha: doc.blob_sha, content: `${t.login} notes` }],
  });
  if (prepared.replayed) throw new Error('unexpected replay');
  await store.recordSyncPush({
    client_id: clientId,
    repository_id: prepared.repository_id,
    ref: 'refs/heads/main',
    commit_sha: commitSha(`${t.login}-sync`),
    committed_at: '2026-03-02T10:00:00Z',
    artifacts: [doc],
  });
  await store.publishDoc({
    client_id: clientId,
    path: 'constitution.md',
    kind: 'constitution',
    content: t.login,
  });
}

export function describeRls(get: () => { store: Store; db: Db }): void {
  describe('row-level security', () => {
    let a = '';
    let b = '';
    let rowsA: Record<string, number> = {};
    let rowsB: Record<string, number> = {};
    const claimsOf = (clientId: string) => ({
      role: 'authenticated',
      sub: crypto.randomUUID(),
      client_id: clientId,
    });
    /** Per table, what `fn` gives: one object, so a failure names every table that misbehaves. */
    const perTable = async <T>(fn: (table: string) => Promise<T>) => {
      const out: Record<string, T> = {};
      for (const table of TENANT_TABLES) out[table] = await fn(table);
      return out;
    };
    const expectedPerTable = <T>(fn: (table: string) => T) =>
      Object.fromEntries(TENANT_TABLES.map((table) => [table, fn(table)])) as Record<string, T>;
    /** Rows tenant A may see of its own: everything but the service-only tables. */
    const ownVisible = (table: string) => (SERVICE_ONLY_TABLES.has(table) ? 0 : rowsA[table]!);

    beforeAll(async () => {
      const { store, db } = get();
      [a, b] = await Promise.all([populate(store, tenant('tenant-a')), populate(store, tenant('tenant-b'))]);
      rowsA = await counts(db, a);
      rowsB = await counts(db, b);
      // Every table holds rows of both tenants, so zero below means "filtered", not "empty".
      expect(Object.values(rowsA).every((n) => n > 0)).toBe(true);
      expect(Object.values(rowsB).every((n) => n > 0)).toBe(true);
    }, 60_000);

    it("lets tenant A read all of its rows and none of anyone else's, in every table", async () => {
      const { db } = get();
      const seen = await perTable((table) =>
        db.as('authenticated', claimsOf(a), async (q) => {
          try {
            const { rows } = await q<{ mine: number; others: number }>(
              `select count(*) filter (where client_id = $1)::int as mine, count(*) filter (where client_id is distinct from $1)::int as others from idse.${table}`,
              [a],
            );
            return rows[0];
          } catch (error) {
            return { error: (error as { code?: string }).code };
          }
        }),
      );
      // Service-only tables are not even granted to authenticated.
      expect(seen).toEqual(
        expectedPerTable((table) =>
          SERVICE_ONLY_TABLES.has(table) ? { error: '42501' } : { mine: rowsA[table], others: 0 },
        ),
      );
      const view = await db.as('authenticated', claimsOf(a), (q) =>
        q<{ clients: string[] }>(
          'select array_agg(distinct client_id::text) as clients from idse.current_artifacts',
        ),
      );
      expect(view.rows).toEqual([{ clients: [a] }]);
      // The same tenant named in app_metadata (set only with the service role) works alike.
      const viaMetadata = await db.as(
        'authenticated',
        { role: 'authenticated', app_metadata: { client_id: a } },
        (q) => q<{ n: number }>('select count(*)::int as n from idse.artifacts'),
      );
      expect(viaMetadata.rows).toEqual([{ n: rowsA.artifacts }]);
    });

    it("lets tenant A change none of tenant B's rows in any table, even with write grants", async () => {
      const { db } = get();
      // As deployed: authenticated may only read, so a write is refused outright.
      const granted = await perTable(async (table) => ({
        update: await db.as('authenticated', claimsOf(a), (q) =>
          attempt(q, `update idse.${table} set client_id = client_id where client_id = $1`, [b]),
        ),
        delete: await db.as('authenticated', claimsOf(a), (q) =>
          attempt(q, `delete from idse.${table} where client_id = $1`, [b]),
        ),
      }));
      expect(granted).toEqual(
        expectedPerTable(() => ({ update: { error: '42501' }, delete: { error: '42501' } })),
      );

      // Had someone granted writes, the policies alone still confine A to its own rows.
      const write = { grantWrites: true };
      const policed = await perTable(async (table) => ({
        updateB: await db.as(
          'authenticated',
          claimsOf(a),
          (q) => attempt(q, `update idse.${table} set client_id = client_id where client_id = $1`, [b]),
          write,
        ),
        deleteOthers: await db.as(
          'authenticated',
          claimsOf(a),
          (q) => attempt(q, `delete from idse.${table} where client_id is distinct from $1`, [a]),
          write,
        ),
        updateAll: await db.as(
          'authenticated',
          claimsOf(a),
          (q) => attempt(q, `update idse.${table} set client_id = client_id`),
          write,
        ),
        moveToB: await db.as(
          'authenticated',
          claimsOf(a),
          (q) => attempt(q, `update idse.${table} set client_id = $1`, [b]),
          write,
        ),
      }));
      expect(policed).toEqual(
        expectedPerTable((table) => ({
          updateB: { rows: 0 },
          deleteOthers: { rows: 0 },
          updateAll: { rows: ownVisible(table) },
          // WITH CHECK: a row may not be handed to another tenant (service-only tables show A no row to move).
          moveToB: SERVICE_ONLY_TABLES.has(table) ? { rows: 0 } : { error: '42501' },
        })),
      );
      expect(await counts(db, b)).toEqual(rowsB);
    });

    it('shows anonymous requests and tokens without a valid tenant nothing', async () => {
      const { db } = get();
      const anon = await perTable((table) =>
        db.as('anon', { role: 'anon' }, (q) => attempt(q, `select * from idse.${table}`)),
      );
      expect(anon).toEqual(expectedPerTable(() => ({ error: '42501' })));
      const anonGranted = await perTable((table) =>
        db.as('anon', { role: 'anon' }, (q) => attempt(q, `select * from idse.${table}`), {
          grantWrites: true,
        }),
      );
      expect(anonGranted).toEqual(expectedPerTable(() => ({ rows: 0 })));
      for (const claims of [
        { role: 'authenticated' },
        { role: 'authenticated', client_id: 'not-a-uuid' },
        null,
      ]) {
        const seen = await perTable((table) =>
          db.as('authenticated', claims, (q) => attempt(q, `select * from idse.${table}`)),
        );
        expect({ claims, seen }).toEqual({
          claims,
          // Service-only tables are not even granted to authenticated.
          seen: expectedPerTable((table) =>
            SERVICE_ONLY_TABLES.has(table) ? { error: '42501' } : { rows: 0 },
          ),
        });
      }
    });

    it("lets the service role see every tenant's rows", async () => {
      const { db } = get();
      const seen = await perTable((table) =>
        db.as('service_role', { role: 'service_role' }, async (q) => {
          const { rows } = await q<{ n: number }>(
            `select count(*)::int as n from idse.${table} where client_id in ($1, $2)`,
            [a, b],
          );
          return rows[0]!.n;
        }),
      );
      expect(seen).toEqual(expectedPerTable((table) => rowsA[table]! + rowsB[table]!));
    });

    it('lets a tenant read only its own summary and call no write function', async () => {
      const { db } = get();
      const summaries = await db.as('authenticated', claimsOf(a), async (q) => {
        const own = await q<{ s: { client_id: string; runs: number; sessions: unknown[] } }>(
          'select idse.client_summary() as s',
        );
        const other = await q<{ s: { runs: number; sessions: unknown[] } }>(
          'select idse.client_summary($1) as s',
          [b],
        );
        return { own: own.rows[0]!.s, other: other.rows[0]!.s };
      });
      expect(summaries.own).toMatchObject({ client_id: a, runs: 1 });
      expect(summaries.own.sessions).toHaveLength(1);
      expect(summaries.other).toMatchObject({ runs: 0, sessions: [] });
      const calls = [
        `select idse.record_validation('{}')`,
        `select idse.upsert_installation('{}')`,
        `select idse.create_client('{"name": "x"}')`,
        `select idse.create_api_key('{}')`,
        `select idse.resolve_api_key('x')`,
        `select idse.list_api_keys()`,
        `select idse.revoke_api_key(1)`,
        `select idse.sync_prepare('{}')`,
        `select idse.sync_blob_contents('{}')`,
        `select idse.record_sync_push('{}')`,
        `select idse.publish_doc('{}')`,
        `select idse.pull_published('{}')`,
        `select idse.check_commit_lists('[]', '[]', '[]')`,
        `select idse.mirror_commit(null, null, null, null, null, null, null, null, null, null)`,
        `select idse.agency_set_archived('{}')`,
        `select idse.rollup_runs(1)`,
      ];
      for (const role of ['authenticated', 'anon'] as const) {
        const outcomes = [];
        for (const call of calls) outcomes.push(await db.as(role, claimsOf(a), (q) => attempt(q, call)));
        expect({ role, outcomes }).toEqual({ role, outcomes: calls.map(() => ({ error: '42501' })) });
      }
      // The agency reads are SECURITY INVOKER: asked for every client, a tenant gets itself only;
      // asked for another tenant, nothing.
      const agency = await db.as('authenticated', claimsOf(a), async (q) => {
        const clients = await q<{ c: { client_id: string }[] }>('select idse.agency_clients() as c');
        const sessions = await q<{ s: { client_id: string }[] }>('select idse.agency_sessions() as s');
        const other = await q<{ m: unknown }>('select idse.agency_metrics(for_client => $1) as m', [b]);
        const all = await q<{ m: { now: { sessions: number } } }>('select idse.agency_metrics() as m');
        return {
          clients: clients.rows[0]!.c.map((c) => c.client_id),
          sessions: [...new Set(sessions.rows[0]!.s.map((x) => x.client_id))],
          other: other.rows[0]!.m,
          sessionsInView: all.rows[0]!.m.now.sessions,
        };
      });
      expect(agency).toEqual({ clients: [a], sessions: [a], other: null, sessionsInView: 1 });
      const anonSummary = await db.as('anon', null, (q) => attempt(q, 'select idse.client_summary()'));
      expect(anonSummary).toEqual({ error: '42501' });
    });
  });
}
