/**
 * The migration runner: applies supabase/migrations/*.sql in version order, each in its own
 * transaction together with its row in idse_meta.migrations, so a failed migration leaves nothing
 * behind and a finished one is never applied again. A session-level advisory lock makes replicas that
 * start at the same time take turns: the second finds everything applied.
 *
 * It is for PGlite and plain Postgres. A Supabase project gets the same files with `supabase db push`;
 * versions the CLI recorded (supabase_migrations.schema_migrations) count as applied here too, so
 * pointing the runner at such a database doesn't apply them twice. A database migrated before the
 * migrations were squashed into a baseline gets the baseline recorded, not run (adoptSquashed).
 */
import { StoreError, toStoreError } from './errors.ts';
import { loadAuthShim, loadMigrations, type Migration, SQUASHED } from './migrations.ts';

/** One dedicated connection: the advisory lock belongs to it. */
export interface SqlConnection {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migration files). */
  exec(text: string): Promise<void>;
}

export interface MigrateOptions {
  migrations?: Migration[];
  /** SQL of the auth shim, applied when auth.jwt() is missing; false never applies it. */
  authShim?: string | false;
}

export interface MigrateResult {
  applied: string[];
  /** Already applied before (by this runner or the Supabase CLI). */
  skipped: string[];
  authShimApplied: boolean;
}

/** Any fixed bigint will do, as long as every runner uses the same one. */
const LOCK_KEY = '7149213100426661001';

export async function migrate(conn: SqlConnection, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? loadMigrations();
  await run(conn, 'migrations lock', `select pg_advisory_lock(${LOCK_KEY})`);
  try {
    return await applyPending(conn, migrations, options.authShim);
  } catch (error) {
    throw failed('migrate', error);
  } finally {
    await conn.query(`select pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
  }
}

async function applyPending(
  conn: SqlConnection,
  migrations: Migration[],
  shim: string | false | undefined,
): Promise<MigrateResult> {
  const authShimApplied = await ensureAuth(conn, shim);
  await run(
    conn,
    'create idse_meta.migrations',
    `create schema if not exists idse_meta;
     create table if not exists idse_meta.migrations (
       version text primary key,
       name text not null,
       checksum text not null,
       applied_at timestamptz not null default now()
     );`,
  );
  const ours = new Map(
    (
      await conn.query<{ version: string; checksum: string }>(
        'select version, checksum from idse_meta.migrations',
      )
    ).map((r) => [r.version, r.checksum]),
  );
  const cli = await supabaseCliVersions(conn);
  await adoptSquashed(conn, migrations, ours, cli);
  const result: MigrateResult = { applied: [], skipped: [], authShimApplied };
  for (const m of migrations) {
    const recorded = ours.get(m.version);
    if (recorded !== undefined && recorded !== m.checksum) {
      throw new StoreError(
        'migration-failed',
        `migration ${m.version}_${m.name} was edited after it was applied; add a new migration instead`,
      );
    }
    if (recorded !== undefined || cli.has(m.version)) {
      result.skipped.push(m.version);
      continue;
    }
    await inTransaction(conn, `migration ${m.version}_${m.name}`, async () => {
      await conn.exec(m.sql);
      await conn.query('insert into idse_meta.migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
    });
    result.applied.push(m.version);
  }
  return result;
}

/**
 * Versions recorded in the database that the repository no longer has. Newer than its newest
 * migration: a newer idse migrated the database (replicas of two versions during a deploy), nothing to
 * do. Older: the migrations were squashed. A database that ran every squashed one, unedited, holds the
 * baseline's schema already, so the baseline is recorded as applied without running it; any other
 * can't be brought to this version here, and running the baseline over it would fail half-way.
 */
async function adoptSquashed(
  conn: SqlConnection,
  migrations: Migration[],
  ours: Map<string, string>,
  cli: Set<string>,
): Promise<void> {
  const known = new Set(migrations.map((m) => m.version));
  const newest = migrations.at(-1)?.version ?? '';
  const gone = [...new Set([...ours.keys(), ...cli])].filter((v) => !known.has(v) && v < newest).sort();
  if (gone.length === 0) return;
  const baseline = migrations.find((m) => m.version === SQUASHED.baseline);
  const ranAll = [...SQUASHED.versions].every(([version, sum]) =>
    ours.has(version) ? ours.get(version) === sum : cli.has(version),
  );
  if (!baseline || !ranAll || gone.some((v) => !SQUASHED.versions.has(v))) {
    throw new StoreError(
      'migration-failed',
      `the database holds migrations this idse no longer has (${gone.join(', ')}); only a database with ` +
        `all ${SQUASHED.versions.size} migrations the baseline ${SQUASHED.baseline} replaced, unedited, ` +
        'moves on to it: apply the missing ones with an idse from before the squash, or start from an ' +
        'empty database (docs/store.md, Migrations)',
    );
  }
  if (ours.has(baseline.version) || cli.has(baseline.version)) return;
  await conn.query('insert into idse_meta.migrations (version, name, checksum) values ($1, $2, $3)', [
    baseline.version,
    baseline.name,
    baseline.checksum,
  ]);
  ours.set(baseline.version, baseline.checksum);
}

async function ensureAuth(conn: SqlConnection, shim: string | false | undefined): Promise<boolean> {
  const [row] = await conn.query<{ present: boolean }>(
    `select to_regprocedure('auth.jwt()') is not null as present`,
  );
  if (row?.present || shim === false) return false;
  const sql = shim ?? loadAuthShim();
  await inTransaction(conn, 'auth shim', () => conn.exec(sql));
  return true;
}

async function supabaseCliVersions(conn: SqlConnection): Promise<Set<string>> {
  const [row] = await conn.query<{ present: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as present`,
  );
  if (!row?.present) return new Set();
  const rows = await conn.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations',
  );
  return new Set(rows.map((r) => r.version));
}

async function inTransaction(conn: SqlConnection, what: string, body: () => Promise<void>): Promise<void> {
  await run(conn, what, 'begin');
  try {
    await body();
    await conn.exec('commit');
  } catch (error) {
    await conn.exec('rollback').catch(() => undefined);
    throw failed(what, error);
  }
}

async function run(conn: SqlConnection, what: string, sql: string): Promise<void> {
  try {
    await conn.exec(sql);
  } catch (error) {
    throw failed(what, error);
  }
}

/** A lost connection stays store-unavailable (retry later); anything else is migration-failed. */
function failed(what: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const mapped = toStoreError(error, what);
  if (mapped.code === 'store-unavailable') return mapped;
  return new StoreError('migration-failed', mapped.message, mapped.detail);
}
