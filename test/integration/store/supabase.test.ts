import { expect } from 'vitest';
import { migratePostgres } from '../../../src/store/backends/postgres.ts';
import { openSupabaseStore } from '../../../src/store/backends/supabase.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { describeStoreContract } from './contract.ts';
import { pgDb } from './harness.ts';
import { anonKey, serviceKey } from './jwt.ts';
import { fakePostgrest } from './postgrest.ts';

const database = useTestDatabase();

// supabase-js against a checked stand-in for PostgREST's RPC API that runs each function on Postgres.
describeStoreContract('supabase', async () => {
  const { url } = database();
  await migratePostgres(url);
  const key = serviceKey();
  const api = fakePostgrest({ databaseUrl: url, apiKeys: [key, anonKey()] });
  const store = openSupabaseStore({ url: api.url, serviceKey: key, fetch: api.fetch });
  const db = pgDb(url);
  return {
    store,
    db,
    afterSuite: () => {
      expect(api.violations).toEqual([]);
      // Every store call went out as an rpc POST in the idse schema with the service role.
      expect(api.requests.length).toBeGreaterThan(50);
      const shapes = new Set(
        api.requests.map((r) => `${r.method} ${r.path.replace(/[^/]+$/, '<fn>')} ${r.schema} ${r.role}`),
      );
      expect([...shapes]).toEqual(['POST /rest/v1/rpc/<fn> idse service_role']);
    },
    close: async () => {
      await store.close();
      await api.close();
      await db.close();
    },
  };
});
