/**
 * Plain Postgres over `pg` (DATABASE_URL). Many App replicas can share one database: writes are single
 * function calls, and the functions serialise per repository themselves.
 */
import pg from 'pg';
import { toStoreError } from '../errors.ts';
import { sqlCall } from '../functions.ts';
import { type MigrateOptions, migrate, type SqlConnection } from '../migrate.ts';
import { createStore, type Store } from '../store.ts';

export interface PostgresStoreOptions extends MigrateOptions {
  connectionString: string;
  /** Apply pending migrations before the first call (default true). */
  migrate?: boolean;
  /** Pool size (default 10). */
  max?: number;
  /** Give up connecting after this long (default 10 s), reported as store-unavailable. */
  connectionTimeoutMillis?: number;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  if (options.migrate !== false) await migratePostgres(options.connectionString, options);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    // Every session runs as service_role, like the Supabase backend's service key: the same grants and
    // RLS bypass apply on every backend. The connecting user must be able to SET ROLE service_role
    // (the auth shim grants it to the user that applied it).
    options: '-c role=service_role',
  });
  // An idle client losing its server emits here; without a listener that would crash the process.
  // The next call then fails (or reconnects) and reports it as a StoreError.
  pool.on('error', () => undefined);
  return createStore({
    backend: 'postgres',
    jobDatabase: { kind: 'postgres', connectionString: options.connectionString },
    async call(fn, args) {
      const { text, params } = sqlCall(fn, args);
      const { rows } = await pool.query<{ result: unknown }>(text, params);
      return rows[0]?.result;
    },
    close: () => pool.end(),
  });
}

/** Applies pending migrations over one dedicated connection (the advisory lock is per connection). */
export async function migratePostgres(connectionString: string, options: MigrateOptions = {}) {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw toStoreError(error, 'migrate');
  }
  try {
    return await migrate(pgConnection(client), options);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function pgConnection(client: pg.ClientBase): SqlConnection {
  return {
    async query<R>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as R[];
    },
    async exec(text: string) {
      await client.query(text);
    },
  };
}
