/**
 * Picks the backend from the environment. Explicit IDSE_STORE wins; otherwise Supabase when its URL and
 * key are set, Postgres when DATABASE_URL is, else embedded PGlite (no set-up at all).
 */
import { resolve } from 'node:path';
import { StoreError } from './errors.ts';
import type { Store, StoreBackend } from './store.ts';

export type StoreConfig =
  | { backend: 'pglite'; dataDir: string }
  | { backend: 'postgres'; connectionString: string }
  | { backend: 'supabase'; url: string; serviceKey: string; databaseUrl?: string };

const BACKENDS: readonly StoreBackend[] = ['pglite', 'postgres', 'supabase'];

const serviceKeyOf = (env: NodeJS.ProcessEnv) => env.SUPABASE_SERVICE_ROLE_KEY || env.SUPABASE_SECRET_KEY;
const supabaseNamed = (env: NodeJS.ProcessEnv) => Boolean(env.SUPABASE_URL && serviceKeyOf(env));

/**
 * Whether the environment names a store at all. Most commands fall back to embedded PGlite when it
 * does not; the App then keeps its clients in memory instead.
 */
export const storeNamed = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(env.IDSE_STORE?.trim() || env.DATABASE_URL || env.IDSE_DATA_DIR || supabaseNamed(env));

export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): StoreConfig {
  const explicit = env.IDSE_STORE?.trim();
  if (explicit && !BACKENDS.includes(explicit as StoreBackend)) {
    throw new StoreError(
      'store-misconfigured',
      `IDSE_STORE=${explicit}: expected one of ${BACKENDS.join(', ')}`,
    );
  }
  const serviceKey = serviceKeyOf(env);
  const backend: StoreBackend =
    (explicit as StoreBackend | undefined) ??
    (supabaseNamed(env) ? 'supabase' : env.DATABASE_URL ? 'postgres' : 'pglite');
  switch (backend) {
    case 'supabase':
      if (!env.SUPABASE_URL || !serviceKey) {
        throw new StoreError(
          'store-misconfigured',
          'the supabase store needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_SECRET_KEY)',
        );
      }
      return {
        backend,
        url: env.SUPABASE_URL,
        serviceKey,
        ...(env.SUPABASE_DB_URL ? { databaseUrl: env.SUPABASE_DB_URL } : {}),
      };
    case 'postgres':
      if (!env.DATABASE_URL) {
        throw new StoreError('store-misconfigured', 'the postgres store needs DATABASE_URL');
      }
      return { backend, connectionString: env.DATABASE_URL };
    case 'pglite':
      return { backend, dataDir: resolve(cwd, env.IDSE_DATA_DIR || '.idse-data') };
  }
}

/**
 * Opens the store the environment names. Backends are imported on demand so a command that uses one
 * never loads the others (PGlite's wasm alone is several MB).
 */
export async function openStore(
  options: { env?: NodeJS.ProcessEnv; cwd?: string; fetch?: typeof fetch } = {},
): Promise<Store> {
  const config = storeConfigFromEnv(options.env, options.cwd);
  switch (config.backend) {
    case 'pglite': {
      const { openPgliteStore } = await import('./backends/pglite.ts');
      return openPgliteStore({ dataDir: config.dataDir });
    }
    case 'postgres': {
      const { openPostgresStore } = await import('./backends/postgres.ts');
      return openPostgresStore({ connectionString: config.connectionString });
    }
    case 'supabase': {
      const { openSupabaseStore } = await import('./backends/supabase.ts');
      return openSupabaseStore({ ...config, fetch: options.fetch });
    }
  }
}
