import { createPgliteStore, startPglite } from '../../../src/store/backends/pglite.ts';
import { describeStoreContract } from './contract.ts';
import { migratedPgliteDump, pgliteDb } from './harness.ts';

// Started from a migrated dump (built once, cached): ~0.5 s instead of initdb + migrations.
describeStoreContract('pglite', async () => {
  const db = await startPglite({ loadDataDir: await migratedPgliteDump() });
  const store = createPgliteStore(db);
  return { store, db: pgliteDb(db), close: () => store.close() };
});
