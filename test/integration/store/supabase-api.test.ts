/**
 * The Supabase backend beyond the contract: what user tokens and the anon key may do over the RPC API,
 * and how HTTP-level failures surface.
 */
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../src/store/backends/postgres.ts';
import { openSupabaseStore } from '../../../src/store/backends/supabase.ts';
import type { Store } from '../../../src/store/store.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { artifact, mirror, session, tenant } from './fixtures.ts';
import { storeError } from './harness.ts';
import { anonKey, serviceKey, signJwt, userToken } from './jwt.ts';
import { type FakePostgrest, fakePostgrest } from './postgrest.ts';

const database = useTestDatabase();

describe('supabase backend over the RPC API', () => {
  let api: FakePostgrest;
  let store: Store;
  const service = serviceKey();
  const anon = anonKey();
  let a = '';
  let b = '';

  beforeAll(async () => {
    const { url } = database();
    await migratePostgres(url);
    api = fakePostgrest({ databaseUrl: url, apiKeys: [service, anon] });
    store = openSupabaseStore({ url: api.url, serviceKey: service, fetch: api.fetch });
    for (const t of [tenant('a'), tenant('b')]) {
      const { client_id } = await store.recordInstallation(t.installation());
      const doc = await artifact({
        path: 'projects/p/sessions/s/intent.md',
        content: t.login,
        project: 'p',
        session: 's',
      });
      await store.recordValidation(
        mirror(t, {
          delivery: 'push',
          commit: t.login,
          at: '2026-03-01T10:00:00Z',
          artifacts: [doc],
          sessions: [session('p', 's')],
        }),
      );
      if (a === '') a = client_id;
      else b = client_id;
    }
  });
  afterAll(async () => {
    expect(api.violations).toEqual([]);
    await api.close();
  });

  /** A browser-style client: the anon key plus, optionally, a signed-in user's token. */
  const client = (token?: string) =>
    createClient(api.url, anon, {
      db: { schema: 'idse' },
      auth: { persistSession: false, autoRefreshToken: false },
      global: { fetch: api.fetch },
      ...(token ? { accessToken: async () => token } : {}),
    });

  it("gives a user's token its own client's summary and nothing of another client", async () => {
    const user = client(userToken(a));
    const own = await user.rpc('client_summary');
    expect(own.error).toBeNull();
    expect(own.data).toMatchObject({ client_id: a, runs: 1, passed_runs: 1 });
    const other = await user.rpc('client_summary', { for_client: b });
    expect(other.error).toBeNull();
    expect(other.data).toMatchObject({ client_id: b, runs: 0, sessions: [] });
    const write = await user.rpc('record_validation', { payload: {} });
    expect({ status: write.status, code: write.error?.code }).toEqual({ status: 403, code: '42501' });
  });

  it('gives the anon key nothing, and the Store built on it store-denied', async () => {
    const res = await client().rpc('client_summary');
    expect({ status: res.status, code: res.error?.code }).toEqual({ status: 401, code: '42501' });
    const anonStore = openSupabaseStore({ url: api.url, serviceKey: anon, fetch: api.fetch });
    const error = await storeError(anonStore.clientSummary(a));
    expect(error.code).toBe('store-denied');
    expect(error.message).toBe('client summary: permission denied for function client_summary');
  });

  it('reports a rejected key or token as store-denied', async () => {
    const unknownKey = openSupabaseStore({
      url: api.url,
      serviceKey: signJwt({ role: 'service_role' }, 'another-project-secret'),
      fetch: api.fetch,
    });
    const gateway = await storeError(unknownKey.clientSummary(a));
    expect(gateway.format()).toBe('client summary: Invalid API key (HTTP 401) [store-denied]');
    // A known apikey with a bearer token signed by someone else: PostgREST itself refuses it.
    const forged = signJwt({ role: 'service_role' }, 'another-project-secret');
    const res = await client(forged).rpc('client_summary');
    expect({ status: res.status, code: res.error?.code }).toEqual({ status: 401, code: 'PGRST301' });
    const expired = await client(signJwt({ role: 'authenticated', client_id: a, exp: 1 })).rpc(
      'client_summary',
    );
    expect({ status: expired.status, code: expired.error?.code }).toEqual({ status: 401, code: 'PGRST303' });
  });

  it('checks the payload in SQL too, for callers that reach the function without the Store', async () => {
    const res = await createClient(api.url, service, {
      db: { schema: 'idse' },
      auth: { persistSession: false },
      global: { fetch: api.fetch },
    }).rpc('record_validation', { payload: { delivery_id: 'x' } });
    expect({ status: res.status, code: res.error?.code, message: res.error?.message }).toEqual({
      status: 400,
      code: '22023',
      message:
        'validation payload needs delivery_id, installation_id, repository {id, full_name}, ref, commit_sha and committed_at',
    });
  });

  it('reports a down project or network as store-unavailable', async () => {
    api.failNext(503);
    const down = await storeError(store.clientSummary(a));
    expect(down.code).toBe('store-unavailable');
    expect(down.message).toBe(
      'client summary: store unavailable (HTTP 503: upstream connect error or disconnect/reset before headers)',
    );
    expect((await store.clientSummary(a)).client_id).toBe(a);

    const offline = openSupabaseStore({
      url: api.url,
      serviceKey: service,
      fetch: () =>
        Promise.reject(
          new TypeError('fetch failed', {
            cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          }),
        ),
    });
    const error = await storeError(offline.clientSummary(a));
    expect(error.format()).toBe(
      'client summary: store unavailable (TypeError: fetch failed) [store-unavailable]',
    );
    expect(error.message).not.toMatch(/\n/);
  });
});
