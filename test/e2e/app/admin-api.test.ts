/**
 * The App's admin API over HTTP, on the real Postgres store: who may call it, what it refuses, and
 * that the CLI's remote store answers exactly as the store itself (values and coded failures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteAdminStore } from '../../../src/admin/client.ts';
import { newLocalToken } from '../../../src/admin/endpoint.ts';
import { createAdminApi } from '../../../src/admin/routes.ts';
import type { AppServer } from '../../../src/app/server.ts';
import { generateApiKey } from '../../../src/auth/keys.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import type { Store } from '../../../src/store/store.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { startServer } from '../dashboard/setup.ts';

const database = useTestDatabase('idse_admin');
const local = newLocalToken();
let store: Store;
let server: { app: AppServer; url: string };
let bare: { app: AppServer; url: string };
const keys: Record<'agency' | 'client' | 'sync', string> = { agency: '', client: '', sync: '' };

async function key(clientId: string | null, scope: 'admin' | 'sync'): Promise<string> {
  const { key, hash, prefix } = generateApiKey(scope);
  await store.createApiKey({ client_id: clientId, scope, key_prefix: prefix, key_hash: hash });
  return key;
}

beforeAll(async () => {
  store = await openPostgresStore({ connectionString: database().url });
  const { client_id } = await store.createClient({ name: 'acme' });
  keys.agency = await key(null, 'admin');
  keys.client = await key(client_id, 'admin');
  keys.sync = await key(client_id, 'sync');
  server = await startServer([createAdminApi({ store, localToken: local })]);
  bare = await startServer([createAdminApi({ store: undefined })]);
});
afterAll(async () => {
  await server?.app.close();
  await bare?.app.close();
  await store?.close();
});

const call = (operation: string, credential: string | undefined, body: unknown = {}, base = server.url) =>
  fetch(`${base}/admin/${operation}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
    },
    body: JSON.stringify(body),
  }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as { result?: unknown; error?: unknown },
  }));

describe('the admin API', () => {
  it('takes an agency-wide admin key or the local secret, and nothing else', async () => {
    expect(await call('agencyClients', undefined)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
    expect(await call('agencyClients', keys.sync)).toMatchObject({
      status: 401,
      body: { error: { code: 'key-invalid' } },
    });
    expect(await call('agencyClients', keys.client)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await call('agencyClients', `${local}x`)).toMatchObject({ status: 401 });
    for (const credential of [keys.agency, local]) {
      const answer = await call('agencyClients', credential);
      expect(answer.status).toBe(200);
      expect((answer.body.result as { client: string }[]).map((c) => c.client)).toEqual(['acme']);
    }
  });

  it('serves store operations only, by POST, and needs a store', async () => {
    expect(await call('resolveApiKey', keys.agency, { argument: 'x' })).toMatchObject({
      status: 404,
      body: { error: { code: 'not-found' } },
    });
    const get = await fetch(`${server.url}/admin/agencyClients`, {
      headers: { authorization: `Bearer ${local}` },
    });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect(await call('agencyClients', local, {}, bare.url)).toMatchObject({
      status: 503,
      body: { error: { code: 'store-not-configured' } },
    });
    expect(await call('agencyClients', local, [])).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid-request' } },
    });
  });

  it('through the remote store: the same values and the same coded failures as the store itself', async () => {
    const remote = remoteAdminStore({ url: server.url, token: keys.agency });
    expect(await remote.agencyClients()).toEqual(await store.agencyClients());
    expect(await remote.findClient('ACME')).toEqual(await store.findClient('acme'));
    const refusedHere = await store.createClient({ name: ' ' }).catch((e: unknown) => e);
    const refusedThere = await remote.createClient({ name: ' ' }).catch((e: unknown) => e);
    expect(refusedThere).toMatchObject({ name: 'StoreError', code: 'invalid-payload' });
    expect((refusedThere as Error).message).toBe((refusedHere as Error).message);
    expect((await store.agencyClients()).length).toBe(1);

    const denied = remoteAdminStore({ url: server.url, token: keys.client });
    await expect(denied.agencyClients()).rejects.toMatchObject({ code: 'store-denied' });
    const gone = remoteAdminStore({ url: 'http://127.0.0.1:9', token: keys.agency });
    await expect(gone.agencyClients()).rejects.toMatchObject({ code: 'store-unavailable' });
  });
});
