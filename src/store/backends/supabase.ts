/**
 * Supabase over HTTP: supabase-js `rpc` calls (PostgREST) to the same SQL functions, with the service
 * key (service_role). The schema is applied with the Supabase CLI (`supabase db push`), not by us: this
 * backend has no database connection to run migrations over.
 */
import { createClient } from '@supabase/supabase-js';
import { STORE_SCHEMA } from '../functions.ts';
import { createStore, type Store } from '../store.ts';

export interface SupabaseStoreOptions {
  url: string;
  /** Service role key (legacy JWT or sb_secret_…). Never ship it to a browser. */
  serviceKey: string;
  /** Replaces global fetch (tests answer PostgREST's API locally). */
  fetch?: typeof fetch;
  /** The project's direct Postgres URL (SUPABASE_DB_URL): where the App's job queue lives. */
  databaseUrl?: string;
}

export function openSupabaseStore(options: SupabaseStoreOptions): Store {
  const client = createClient(options.url, options.serviceKey, {
    db: { schema: STORE_SCHEMA },
    // A server-side client: no session to persist or refresh, no URL to read a session from.
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: options.fetch ? { fetch: options.fetch } : {},
  });
  return createStore({
    backend: 'supabase',
    ...(options.databaseUrl
      ? { jobDatabase: { kind: 'postgres', connectionString: options.databaseUrl } }
      : {}),
    async call(fn, args) {
      const { data, error, status } = await client.rpc(fn, args);
      if (!error) return data;
      // supabase-js resolves with { error } instead of throwing. Passed on as a driver-like error
      // (SQLSTATE or PGRST code, HTTP status) so createStore maps it like every other backend's.
      throw { code: error.code, message: error.message, status };
    },
    // supabase-js holds no connection for rpc calls (plain fetch), so there is nothing to close.
    close: async () => undefined,
  });
}
