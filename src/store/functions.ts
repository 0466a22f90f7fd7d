/**
 * The SQL functions the store calls, with their named arguments. The SQL backends turn a call into
 * `select idse.fn(arg => $1::type, …)`; the Supabase backend sends the same names as an rpc body, so
 * both reach the same function with the same arguments.
 */
export const STORE_SCHEMA = 'idse';

export const STORE_FUNCTIONS = {
  upsert_installation: [['event', 'jsonb']],
  record_validation: [['payload', 'jsonb']],
  client_summary: [['for_client', 'uuid']],
  create_client: [['client', 'jsonb']],
  find_client: [['name_or_id', 'text']],
  create_api_key: [['key', 'jsonb']],
  resolve_api_key: [['key_hash', 'text']],
  list_api_keys: [['for_client', 'uuid']],
  revoke_api_key: [['key_id', 'bigint']],
  api_key_live: [['key_id', 'bigint']],
  end_dashboard_session: [
    ['key_id', 'bigint'],
    ['token_id', 'uuid'],
    ['expires_at', 'timestamptz'],
  ],
  dashboard_session_live: [
    ['key_id', 'bigint'],
    ['token_id', 'uuid'],
  ],
  // Sync gateway (src/store/sync.ts)
  sync_lookup: [['request', 'jsonb']],
  sync_prepare: [['request', 'jsonb']],
  sync_collect_blobs: [['request', 'jsonb']],
  sync_blob_contents: [['request', 'jsonb']],
  record_sync_push: [['payload', 'jsonb']],
  publish_doc: [['doc', 'jsonb']],
  pull_published: [['request', 'jsonb']],
  // Agency dashboard and admin commands (src/store/agency.ts)
  agency_clients: [
    ['for_client', 'uuid'],
    ['with_archived', 'boolean'],
  ],
  agency_projects: [
    ['for_client', 'uuid'],
    ['with_archived', 'boolean'],
  ],
  agency_sessions: [
    ['for_client', 'uuid'],
    ['for_project', 'bigint'],
    ['with_archived', 'boolean'],
  ],
  agency_runs: [
    ['for_session', 'bigint'],
    ['for_client', 'uuid'],
    ['max_runs', 'integer'],
    ['for_ref', 'text'],
  ],
  agency_branches: [
    ['for_session', 'bigint'],
    ['for_client', 'uuid'],
  ],
  agency_docs: [
    ['for_session', 'bigint'],
    ['for_client', 'uuid'],
    ['for_ref', 'text'],
  ],
  agency_metrics: [
    ['for_client', 'uuid'],
    ['for_project', 'bigint'],
    ['for_session', 'bigint'],
    ['since', 'date'],
    ['with_archived', 'boolean'],
  ],
  agency_set_archived: [['target', 'jsonb']],
  // Facts of docs by content (src/store/facts.ts)
  fetch_doc_facts: [['keys', 'jsonb']],
  save_doc_facts: [['entries', 'jsonb']],
  fetch_blob_texts: [['shas', 'jsonb']],
  save_blob_texts: [['entries', 'jsonb']],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type StoreFunction = keyof typeof STORE_FUNCTIONS;
export type StoreArgs = Record<string, unknown>;

/** One function call, whatever carries it (a SQL connection or PostgREST). Returns the function's value. */
export type CallFunction = (fn: StoreFunction, args: StoreArgs) => Promise<unknown>;

/**
 * `select idse.fn(name => $n::type, …) as result` and its parameters. Arguments left undefined are
 * omitted so the function's default applies, as PostgREST does with a missing key.
 */
export function sqlCall(fn: StoreFunction, args: StoreArgs): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const named: string[] = [];
  for (const [name, type] of STORE_FUNCTIONS[fn]) {
    const value = args[name];
    if (value === undefined) continue;
    params.push(type === 'jsonb' ? JSON.stringify(value) : value);
    named.push(`${name} => $${params.length}::${type}`);
  }
  return { text: `select ${STORE_SCHEMA}.${fn}(${named.join(', ')}) as result`, params };
}
