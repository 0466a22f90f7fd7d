/**
 * Embedded Postgres (PGlite, wasm): the zero-set-up default. Opening costs ~0.6 s (a new data dir runs
 * initdb, ~4.5 s) and ~600 MB of memory, so a data dir is opened once per process and shared by every
 * store on it; nothing opens it until a store is asked for.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { StoreError, toStoreError } from '../errors.ts';
import { sqlCall } from '../functions.ts';
import { type MigrateOptions, migrate, type SqlConnection } from '../migrate.ts';
import { createStore, type Store } from '../store.ts';
import { lockDataDir } from './pglite-lock.ts';

export interface PgliteOpenOptions extends MigrateOptions {
  /** Folder of the database files; created when missing. */
  dataDir?: string;
  /**
   * A `dumpDataDir()` tarball to start from (tests: a migrated template): in memory, or in `dataDir`
   * when that is given and still empty.
   */
  loadDataDir?: Blob;
}

/** Open data dirs of this process, by absolute path, with how many stores use each. */
const open = new Map<string, { db: Promise<PGlite>; users: number }>();

/**
 * A new migrated PGlite running as service_role, owned by the caller. Stores should come from
 * openPgliteStore, which shares one instance per data dir.
 */
export async function startPglite(options: PgliteOpenOptions = {}): Promise<PGlite> {
  let unlock = () => {};
  try {
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true });
      unlock = lockDataDir(options.dataDir);
    }
    const db = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    // Whoever closes this instance (a store, a test) also releases the data dir.
    const close = db.close.bind(db);
    db.close = async () => {
      try {
        await close();
      } finally {
        unlock();
      }
    };
    try {
      await migrate(pgliteConnection(db), options);
      // The embedded job queue (pg-boss) keeps its tables in this database too, in a schema it creates.
      await db.exec(
        `do $$ begin execute format('grant create on database %I to service_role', current_database()); end $$`,
      );
      // Like the Supabase backend's service key: writes go through the same grants and RLS bypass.
      await db.exec('set role service_role');
    } catch (error) {
      await db.close();
      throw error;
    }
    return db;
  } catch (error) {
    unlock();
    throw toStoreError(fileSystemFailure(error, options.dataDir), 'open pglite store');
  }
}

/** WASI errno → what it means, for the failures a data dir can meet. */
const ERRNO: Readonly<Record<number, string>> = {
  2: 'permission denied (EACCES)',
  10: 'resource busy (EBUSY)',
  20: 'file exists (EEXIST)',
  31: 'is a directory (EISDIR)',
  44: 'no such file or directory (ENOENT)',
  51: 'no space left on device (ENOSPC)',
  54: 'not a directory (ENOTDIR)',
  55: 'directory not empty (ENOTEMPTY)',
  63: 'operation not permitted (EPERM)',
  69: 'read-only file system (EROFS)',
};

/**
 * PGlite's own file system failures are Emscripten ErrnoErrors: no message, only a WASI errno. Named
 * here, so the one line the user reads says what is wrong with the data dir instead of "[object Object]".
 */
function fileSystemFailure(error: unknown, dataDir: string | undefined): unknown {
  const e = error as { name?: unknown; errno?: unknown } | null;
  if (e?.name !== 'ErrnoError' || typeof e.errno !== 'number') return error;
  const what = ERRNO[e.errno] ?? `file system error ${e.errno}`;
  return new StoreError(
    'store-misconfigured',
    `open pglite store: cannot use the data dir${dataDir ? ` ${dataDir}` : ''}: ${what}`,
  );
}

/** PGlite is one connection; this adapts it to what the migration runner expects. */
export function pgliteConnection(db: PGlite): SqlConnection {
  return {
    async query<R>(text: string, params?: unknown[]) {
      return (await db.query<R>(text, params)).rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
  };
}

/** A Store on an open PGlite. `release` runs on close (the shared-instance bookkeeping). */
export function createPgliteStore(db: PGlite, release: () => Promise<void> = () => db.close()): Store {
  return createStore({
    backend: 'pglite',
    jobDatabase: { kind: 'pglite', db },
    async call(fn, args) {
      const { text, params } = sqlCall(fn, args);
      const { rows } = await db.query<{ result: unknown }>(text, params);
      return rows[0]?.result;
    },
    close: release,
  });
}

export async function openPgliteStore(options: PgliteOpenOptions = {}): Promise<Store> {
  if (options.loadDataDir && !options.dataDir) return createPgliteStore(await startPglite(options));
  const dataDir = resolve(options.dataDir ?? '.idse-data');
  let shared = open.get(dataDir);
  if (!shared) {
    const entry = { db: startPglite({ ...options, dataDir }), users: 0 };
    entry.db.catch(() => open.delete(dataDir));
    open.set(dataDir, entry);
    shared = entry;
  }
  shared.users += 1;
  const entry = shared;
  const db = await entry.db;
  let released = false;
  return createPgliteStore(db, async () => {
    if (released) return;
    released = true;
    entry.users -= 1;
    if (entry.users === 0 && open.get(dataDir) === entry) {
      open.delete(dataDir);
      await db.close();
    }
  });
}
