/**
 * The declarative schema (supabase/schemas/) and the migrations (supabase/migrations/) describe the
 * same database: applied to two fresh databases on the real Postgres, their catalogs are equal —
 * every function's definition, the tables and their columns, constraints, indexes, policies, grants,
 * triggers and views. A change goes into a new migration and into its schema file in the same commit;
 * this test fails until both say the same.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../src/store/backends/postgres.ts';
import { loadAuthShim, loadSchema } from '../../../src/store/migrations.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { readCatalog } from './catalog.ts';

const migrated = useTestDatabase('idse_test_migrated');
const declared = useTestDatabase('idse_test_declared');

async function applySchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(loadAuthShim());
    for (const file of loadSchema()) await client.query(file.sql);
  } finally {
    await client.end();
  }
}

describe('declarative schema', () => {
  it('equals what the migrations build, object by object', async () => {
    await Promise.all([migratePostgres(migrated().url), applySchema(declared().url)]);
    const [fromMigrations, fromSchema] = await Promise.all([
      readCatalog(migrated().url),
      readCatalog(declared().url),
    ]);
    // An empty catalog would make any two equal.
    expect(fromSchema.functions.length).toBeGreaterThan(40);
    expect(fromSchema.columns.length).toBeGreaterThan(150);
    expect(fromSchema).toEqual(fromMigrations);
  }, 60_000);
});
