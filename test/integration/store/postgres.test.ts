import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { describeStoreContract } from './contract.ts';
import { pgDb } from './harness.ts';

const database = useTestDatabase();

describeStoreContract('postgres', async () => {
  const { url } = database();
  const store = await openPostgresStore({ connectionString: url });
  const db = pgDb(url);
  return {
    store,
    db,
    close: async () => {
      await store.close();
      await db.close();
    },
  };
});
