import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../src/store/backends/postgres.ts';
import { loadMigrations, type Migration, SQUASHED } from '../../../src/store/migrations.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { SHARED_TABLES, TENANT_TABLES } from './fixtures.ts';
import { storeError } from './harness.ts';

const made: TestDatabase[] = [];
async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase('idse_test_migrate');
  made.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(made.splice(0).map((db) => db.drop()));
});

async function sql<R = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Migrations written to a temp folder: each logs its own application in a table. */
function loggingMigrations(count: number): Migration[] {
  const dir = mkdtempSync(join(tmpdir(), 'idse-migrations-'));
  writeFileSync(join(dir, '20260101000000_log.sql'), 'create table applied_log (version text not null);');
  for (let i = 1; i < count; i++) {
    const version = `2026010100000${i}`;
    // pg_sleep widens the window in which a second runner could slip in without the lock.
    writeFileSync(
      join(dir, `${version}_step.sql`),
      `select pg_sleep(0.05); insert into applied_log values ('${version}');`,
    );
  }
  writeFileSync(join(dir, 'README.md'), 'not a migration');
  return loadMigrations(dir);
}

const ALL = loadMigrations().map((m) => m.version);

/**
 * A database as the squashed migrations left it: their versions and checksums recorded, the schema
 * built (by the baseline itself, which builds the same one; the files themselves are gone).
 */
function squashedMigrations(keep: (version: string) => boolean = () => true): Migration[] {
  const baseline = loadMigrations().find((m) => m.version === SQUASHED.baseline)!;
  return [...SQUASHED.versions]
    .filter(([version]) => keep(version))
    .map(([version, checksum], i) => ({
      version,
      name: 'squashed',
      sql: i === 0 ? baseline.sql : 'select 1',
      checksum,
    }));
}

describe('migration runner', () => {
  it('applies the auth shim and every migration once, in order, and nothing on a second run', async () => {
    const { url } = await freshDatabase();
    const first = await migratePostgres(url);
    expect(first).toEqual({ applied: ALL, skipped: [], authShimApplied: true });
    expect(ALL).toEqual([...ALL].sort());
    const recorded = await sql<{ version: string; name: string }>(
      url,
      'select version, name from idse_meta.migrations order by applied_at, version',
    );
    expect(recorded).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name })));
    const second = await migratePostgres(url);
    expect(second).toEqual({ applied: [], skipped: ALL, authShimApplied: false });
    const tables = await sql<{ t: string }>(
      url,
      `select tablename as t from pg_tables where schemaname = 'idse' and rowsecurity order by 1`,
    );
    expect(tables.map((r) => r.t)).toEqual([...TENANT_TABLES, ...SHARED_TABLES].sort());
    const forced = await sql<{ n: number }>(
      url,
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'idse' and c.relkind = 'r' and not c.relforcerowsecurity`,
    );
    expect(forced).toEqual([{ n: 0 }]);
  });

  it('lets replicas starting together apply each migration exactly once (advisory lock)', async () => {
    const { url } = await freshDatabase();
    const migrations = loggingMigrations(5);
    const runs = await Promise.all([1, 2, 3].map(() => migratePostgres(url, { migrations })));
    const applied = runs.flatMap((r) => r.applied).sort();
    expect(applied).toEqual(migrations.map((m) => m.version));
    // One runner did the work; the others waited for the lock and found nothing left.
    expect(runs.map((r) => r.applied.length).sort()).toEqual([0, 0, 5]);
    const log = await sql<{ version: string; n: number }>(
      url,
      'select version, count(*)::int as n from applied_log group by version order by version',
    );
    expect(log).toEqual(migrations.slice(1).map((m) => ({ version: m.version, n: 1 })));

    // The real migrations too: a second application would fail on CREATE TABLE.
    const real = await freshDatabase();
    const both = await Promise.all([migratePostgres(real.url), migratePostgres(real.url)]);
    expect(both.map((r) => r.applied.length).sort()).toEqual([0, ALL.length]);
  });

  it('rolls a failing migration back whole and stops there', async () => {
    const { url } = await freshDatabase();
    const migrations = loggingMigrations(2);
    const broken: Migration = {
      version: '20260101000005',
      name: 'broken',
      sql: 'create table half_done (id int); select no_such_function();',
      checksum: 'x',
    };
    const after: Migration = {
      ...broken,
      version: '20260101000006',
      name: 'after',
      sql: 'create table after_broken (id int);',
    };
    const error = await storeError(migratePostgres(url, { migrations: [...migrations, broken, after] }));
    expect(error.code).toBe('migration-failed');
    expect(error.message).toBe('migration 20260101000005_broken: function no_such_function() does not exist');
    const state = await sql<{ half: string | null; after: string | null; versions: string[] }>(
      url,
      `select to_regclass('public.half_done')::text as half, to_regclass('public.after_broken')::text as after,
              array(select version from idse_meta.migrations order by version) as versions`,
    );
    expect(state).toEqual([{ half: null, after: null, versions: migrations.map((m) => m.version) }]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const { url } = await freshDatabase();
    const migrations = loggingMigrations(2);
    await migratePostgres(url, { migrations });
    const edited = migrations.map((m, i) =>
      i === 1 ? { ...m, sql: `${m.sql}\n-- edit`, checksum: 'changed' } : m,
    );
    const error = await storeError(migratePostgres(url, { migrations: edited }));
    expect(error.code).toBe('migration-failed');
    expect(error.message).toBe(
      `migration ${migrations[1]!.version}_step was edited after it was applied; add a new migration instead`,
    );
  });

  it('counts versions the Supabase CLI recorded as applied', async () => {
    const { url } = await freshDatabase();
    const migrations = loggingMigrations(3);
    await sql(
      url,
      `create schema supabase_migrations;
       create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
       create table applied_log (version text not null);
       insert into supabase_migrations.schema_migrations (version) values ('20260101000000'), ('20260101000001');`,
    );
    const result = await migratePostgres(url, { migrations, authShim: false });
    expect(result).toEqual({
      applied: ['20260101000002'],
      skipped: ['20260101000000', '20260101000001'],
      authShimApplied: false,
    });
  });

  it('records the baseline without running it where every squashed migration ran', async () => {
    const { url } = await freshDatabase();
    await migratePostgres(url, { migrations: squashedMigrations() });
    // Running the baseline again would fail on its first CREATE TABLE; migrations after it do run.
    const later = ALL.filter((v) => v > SQUASHED.baseline);
    expect(await migratePostgres(url)).toEqual({
      applied: later,
      skipped: [SQUASHED.baseline],
      authShimApplied: false,
    });
    const recorded = await sql<{ version: string }>(
      url,
      'select version from idse_meta.migrations order by 1',
    );
    expect(recorded.map((r) => r.version)).toEqual([
      ...SQUASHED.versions.keys(),
      SQUASHED.baseline,
      ...later,
    ]);
    expect(await migratePostgres(url)).toEqual({ applied: [], skipped: ALL, authShimApplied: false });
  });

  it('refuses a database with only some of the squashed migrations, or an edited one', async () => {
    const message = new RegExp(
      `^the database holds migrations this idse no longer has \\(20261125120000, .*\\); only a database with all 16 migrations the baseline ${SQUASHED.baseline} replaced, unedited, moves on to it`,
    );
    const partial = await freshDatabase();
    await migratePostgres(partial.url, { migrations: squashedMigrations((v) => v !== '20261127120000') });
    const missing = await storeError(migratePostgres(partial.url));
    expect(missing.code).toBe('migration-failed');
    expect(missing.message).toMatch(message);

    const edited = await freshDatabase();
    const migrations = squashedMigrations().map((m, i) => (i === 3 ? { ...m, checksum: 'edited' } : m));
    await migratePostgres(edited.url, { migrations });
    const error = await storeError(migratePostgres(edited.url));
    expect(error.code).toBe('migration-failed');
    expect(error.message).toMatch(message);
    const recorded = await sql(edited.url, 'select 1 from idse_meta.migrations where version = $1', [
      SQUASHED.baseline,
    ]);
    expect(recorded).toEqual([]);
  });

  it('leaves alone versions newer than its own (a newer idse migrated the database)', async () => {
    const { url } = await freshDatabase();
    await migratePostgres(url);
    await sql(
      url,
      `insert into idse_meta.migrations (version, name, checksum) values ('29990101000000', 'newer', 'x')`,
    );
    expect(await migratePostgres(url)).toEqual({ applied: [], skipped: ALL, authShimApplied: false });
  });

  it('reports an unreachable database as store-unavailable', async () => {
    const error = await storeError(migratePostgres('postgresql://postgres@127.0.0.1:1/none'));
    expect(error.code).toBe('store-unavailable');
    expect(error.message).toMatch(/^migrate: store unavailable \(connect ECONNREFUSED 127\.0\.0\.1:1\)$/);
    expect(error.stack).not.toMatch(/node_modules\/pg/);
  });
});
