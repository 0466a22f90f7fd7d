import type { AdminStore } from '../src/admin/operations.ts';
import type { IdseContext } from './context.ts';

/**
 * Runs `use` with the store agency admin commands work on: through the running App's admin API when
 * it holds the embedded store or an admin key names it (src/admin/connect.ts), else the store the
 * environment names (IDSE_STORE, DATABASE_URL, SUPABASE_URL + key, or embedded PGlite under
 * IDSE_DATA_DIR, default `.idse-data`), closed whatever happens. Imported lazily: commands that never
 * touch the store never load a database driver.
 */
export async function withStore<T>(context: IdseContext, use: (store: AdminStore) => Promise<T>): Promise<T> {
  const { appAdminStore } = await import('../src/admin/connect.ts');
  const app = appAdminStore(context.env, context.cwd);
  if (app) return use(app);
  const { openStore } = await import('../src/store/factory.ts');
  const store = await openStore({ env: context.env, cwd: context.cwd });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
