/**
 * The store: one interface over PGlite, Postgres and Supabase (see docs/store.md). Only the factory is
 * exported here so importing the store loads no backend; each backend module loads its driver, so
 * import one directly (./backends/<name>.ts) only when you need it by name.
 */
export * from './agency.ts';
export { isStoreError, StoreError, type StoreErrorCode } from './errors.ts';
export { openStore, type StoreConfig, storeConfigFromEnv } from './factory.ts';
export * from './keys.ts';
export { type MigrateResult, migrate, type SqlConnection } from './migrate.ts';
export { loadMigrations, type Migration } from './migrations.ts';
export * from './schema.ts';
export type { Store, StoreBackend } from './store.ts';
