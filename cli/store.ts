import type { Store } from '../src/store/store.ts';
import type { IdseContext } from './context.ts';

/**
 * Runs `use` with the store the environment names (IDSE_STORE, DATABASE_URL, SUPABASE_URL + key, or
 * embedded PGlite under IDSE_DATA_DIR, default `.idse-data`), then closes it whatever happens.
 * Imported lazily: commands that never touch the store never load a database driver.
 */
export async function withStore<T>(context: IdseContext, use: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../src/store/factory.ts');
  const store = await openStore({ env: context.env, cwd: context.cwd });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
