/**
 * What the contract suite needs from a backend: the Store under test, plus direct SQL access to the
 * same database to look at rows and to act as a given role with given JWT claims (RLS checks).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { expect } from 'vitest';
import { pgliteConnection } from '../../../src/store/backends/pglite.ts';
import { StoreError } from '../../../src/store/errors.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { loadAuthShim, loadMigrations } from '../../../src/store/migrations.ts';
import type { Store } from '../../../src/store/store.ts';
import { TENANT_TABLES } from './fixtures.ts';

export type Role = 'anon' | 'authenticated' | 'service_role';
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}
export type Query = <R = Record<string, unknown>>(
  text: string,
  params?: unknown[],
) => Promise<QueryResult<R>>;

export interface Db {
  /**
   * Outside RLS, committed (autocommit): as the superuser on Postgres, as service_role (BYPASSRLS) on
   * PGlite, whose one connection the store shares.
   */
  query: Query;
  /**
   * In a transaction that is always rolled back, as `role` with these JWT claims (null: none).
   * grantWrites first grants anon/authenticated every privilege on the tables (rolled back too), so a
   * test can show RLS alone stops what the grants would allow.
   */
  as<T>(
    role: Role,
    claims: Record<string, unknown> | null,
    fn: (q: Query) => Promise<T>,
    options?: AsOptions,
  ): Promise<T>;
  close(): Promise<void>;
}
export interface AsOptions {
  grantWrites?: boolean;
}

export interface StoreHarness {
  store: Store;
  db: Db;
  /** Run after the suite (e.g. the fake PostgREST's contract check). */
  afterSuite?: () => void;
  close(): Promise<void>;
}

const GRANT_WRITES = `grant select, insert, update, delete on all tables in schema idse to anon, authenticated`;

export function pgDb(connectionString: string): Db {
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on('error', () => undefined);
  return {
    async query(text, params) {
      const r = await pool.query(text, params);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    },
    async as(role, claims, fn, options = {}) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        if (options.grantWrites) await client.query(GRANT_WRITES);
        await client.query(`select set_config('request.jwt.claims', $1, true)`, [
          claims ? JSON.stringify(claims) : '',
        ]);
        await client.query(`set local role ${role}`);
        return await fn(async (text, params) => {
          const r = await client.query(text, params);
          return { rows: r.rows, rowCount: r.rowCount ?? 0 };
        });
      } finally {
        await client.query('rollback').catch(() => undefined);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Thrown to end a PGlite transaction with ROLLBACK while carrying the result out. */
class Rollback {
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}

export function pgliteDb(db: PGlite): Db {
  const run =
    (tx: Transaction): Query =>
    async (text, params) => {
      const r = await tx.query<never>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
    };
  // The instance runs as service_role (like the store); the session user is the superuser, so a
  // transaction can SET LOCAL ROLE to any role and falls back to service_role when it ends.
  const inTransaction = async <T>(
    setup: (tx: Transaction) => Promise<void>,
    fn: (q: Query) => Promise<T>,
  ) => {
    try {
      await db.transaction(async (tx) => {
        await setup(tx);
        throw new Rollback(await fn(run(tx)));
      });
    } catch (error) {
      if (error instanceof Rollback) return error.value as T;
      throw error;
    }
    throw new Error('unreachable: the transaction always rolls back');
  };
  return {
    async query(text, params) {
      const r = await db.query<never>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
    },
    as: (role, claims, fn, options = {}) =>
      inTransaction(async (tx) => {
        await tx.exec('set local role postgres');
        if (options.grantWrites) await tx.exec(GRANT_WRITES);
        await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
          claims ? JSON.stringify(claims) : '',
        ]);
        await tx.exec(`set local role ${role}`);
      }, fn),
    close: async () => undefined,
  };
}

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * A dumpDataDir() tarball of a PGlite with every migration applied, built once and cached on disk
 * under node_modules/.cache (keyed by PGlite's version and the SQL), so each test starts a database in
 * well under a second instead of running initdb (~4.5 s) and the migrations.
 */
export async function migratedPgliteDump(): Promise<Blob> {
  const version = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  const hash = createHash('sha256').update(version.version).update(loadAuthShim());
  for (const m of loadMigrations()) hash.update(m.version).update(m.checksum);
  const dir = join(ROOT, 'node_modules/.cache/idse-store');
  const file = join(dir, `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const db = await PGlite.create();
  try {
    await migrate(pgliteConnection(db));
    const dump = await db.dumpDataDir('none');
    mkdirSync(dir, { recursive: true });
    // Parallel test files may build it at the same time; rename makes whichever finishes last win whole.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, new Uint8Array(await dump.arrayBuffer()));
    renameSync(tmp, file);
    // Dumps of older migrations are dead weight now.
    for (const old of readdirSync(dir)) {
      if (/^pglite-[0-9a-f]+\.tar$/.test(old) && join(dir, old) !== file)
        rmSync(join(dir, old), { force: true });
    }
    return dump;
  } finally {
    await db.close();
  }
}

/** Rows per tenant table for one client. */
export async function counts(db: Db, clientId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TENANT_TABLES) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from idse.${table} where client_id = $1`,
      [clientId],
    );
    out[table] = rows[0]!.n;
  }
  return out;
}

/** The StoreError a call rejects with (fails the test if it resolves or throws something else). */
export async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected the call to fail with a StoreError');
}
