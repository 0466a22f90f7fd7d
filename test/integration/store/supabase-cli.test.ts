/**
 * Our migrations as a Supabase project applies them: the real Supabase CLI (`supabase migration up`)
 * against a fresh plain Postgres database. Plain Postgres has no `auth` schema or Supabase roles, so
 * the dev shim goes in first, as it would on any non-Supabase database.
 */

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../src/store/backends/postgres.ts';
import { STORE_FUNCTIONS } from '../../../src/store/functions.ts';
import { loadAuthShim, loadMigrations } from '../../../src/store/migrations.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { SHARED_TABLES, TENANT_TABLES } from './fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SUPABASE = join(ROOT, 'node_modules/.bin/supabase');
const database = useTestDatabase('idse_test_cli');

async function query<R = Record<string, unknown>>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as R[];
  } finally {
    await client.end();
  }
}

describe('supabase CLI', () => {
  it('applies supabase/migrations with `supabase migration up`, and the seed runs on the result', async () => {
    const { url } = database();
    await query(url, loadAuthShim());
    const { stdout, stderr } = await promisify(execFile)(
      SUPABASE,
      ['migration', 'up', `--remote=${url}`, '--yes', '--workdir', ROOT],
      { cwd: ROOT, env: { ...process.env, DO_NOT_TRACK: '1', NO_COLOR: '1' }, timeout: 60_000 },
    );
    const output = stdout + stderr;
    const versions = loadMigrations().map((m) => m.version);
    for (const m of loadMigrations())
      expect(output).toContain(`Applying migration ${m.version}_${m.name}.sql`);

    const history = await query<{ version: string }>(
      url,
      'select version from supabase_migrations.schema_migrations order by version',
    );
    expect(history.map((r) => r.version)).toEqual(versions);
    const tables = await query<{ t: string }>(
      url,
      `select tablename as t from pg_tables where schemaname = 'idse' and rowsecurity order by 1`,
    );
    expect(tables.map((r) => r.t)).toEqual([...TENANT_TABLES, ...SHARED_TABLES].sort());
    const functions = await query<{ f: string }>(
      url,
      `select p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'idse' order by 1`,
    );
    // Every function the store calls is there (besides helpers such as jwt_client_id).
    expect(functions.map((r) => r.f)).toEqual(
      expect.arrayContaining([...Object.keys(STORE_FUNCTIONS), 'jwt_client_id']),
    );

    // Our runner on the same database treats the CLI's history as applied.
    expect(await migratePostgres(url)).toEqual({ applied: [], skipped: versions, authShimApplied: false });

    await query(url, readFileSync(join(ROOT, 'supabase/seed.sql'), 'utf8'));
    const [summary] = await query<{
      s: { runs: number; passed_runs: number; sessions: { stage: string }[] };
    }>(
      url,
      `select idse.client_summary(client_id) as s from idse.clients where login = 'demo-agency-client'`,
    );
    expect(summary?.s).toMatchObject({ runs: 2, passed_runs: 1, sessions: [{ stage: 'intent' }] });
  }, 90_000);
});
