import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteStore, openPgliteStore, startPglite } from '../../../src/store/backends/pglite.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import { openStore, storeConfigFromEnv } from '../../../src/store/factory.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { mirror, tenant } from './fixtures.ts';
import { migratedPgliteDump, storeError } from './harness.ts';

const database = useTestDatabase();
const UNREACHABLE = 'postgresql://postgres@127.0.0.1:1/nowhere';
const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('backend selection from the environment', () => {
  it('defaults to PGlite in .idse-data under the working directory', () => {
    expect(storeConfigFromEnv({}, '/work/app')).toEqual({
      backend: 'pglite',
      dataDir: '/work/app/.idse-data',
    });
    expect(storeConfigFromEnv({ IDSE_DATA_DIR: 'var/db' }, '/work/app')).toEqual({
      backend: 'pglite',
      dataDir: '/work/app/var/db',
    });
    expect(storeConfigFromEnv({ IDSE_DATA_DIR: '/data/idse' }, '/work/app')).toEqual({
      backend: 'pglite',
      dataDir: '/data/idse',
    });
  });

  it('picks Supabase when its URL and key are set, else Postgres with DATABASE_URL; IDSE_STORE wins', () => {
    const env = {
      DATABASE_URL: 'postgresql://db/x',
      SUPABASE_URL: 'https://p.supabase.co',
      SUPABASE_SERVICE_ROLE_KEY: 'k',
    };
    expect(storeConfigFromEnv({ DATABASE_URL: 'postgresql://db/x' }, '/')).toEqual({
      backend: 'postgres',
      connectionString: 'postgresql://db/x',
    });
    expect(storeConfigFromEnv(env, '/')).toEqual({
      backend: 'supabase',
      url: 'https://p.supabase.co',
      serviceKey: 'k',
    });
    expect(
      storeConfigFromEnv({ ...env, SUPABASE_SERVICE_ROLE_KEY: '', SUPABASE_SECRET_KEY: 's' }, '/'),
    ).toEqual({
      backend: 'supabase',
      url: 'https://p.supabase.co',
      serviceKey: 's',
    });
    expect(storeConfigFromEnv({ ...env, IDSE_STORE: 'postgres' }, '/')).toMatchObject({
      backend: 'postgres',
    });
    expect(storeConfigFromEnv({ ...env, IDSE_STORE: 'pglite' }, '/w')).toEqual({
      backend: 'pglite',
      dataDir: '/w/.idse-data',
    });
  });

  it('names what is missing as store-misconfigured', () => {
    const attempt = (env: NodeJS.ProcessEnv) => {
      try {
        storeConfigFromEnv(env, '/');
        return 'no error';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    expect(attempt({ IDSE_STORE: 'mysql' })).toBe(
      'store-misconfigured: IDSE_STORE=mysql: expected one of pglite, postgres, supabase',
    );
    expect(attempt({ IDSE_STORE: 'supabase', SUPABASE_URL: 'https://p.supabase.co' })).toBe(
      'store-misconfigured: the supabase store needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_SECRET_KEY)',
    );
    expect(attempt({ IDSE_STORE: 'postgres' })).toBe(
      'store-misconfigured: the postgres store needs DATABASE_URL',
    );
  });

  it('opens the Postgres backend from DATABASE_URL, migrating the database first', async () => {
    const store = await openStore({ env: { DATABASE_URL: database().url } });
    try {
      expect(store.backend).toBe('postgres');
      const t = tenant();
      const { client_id } = await store.recordInstallation(t.installation());
      expect(await store.clientSummary(client_id)).toEqual({
        client_id,
        runs: 0,
        passed_runs: 0,
        pass_rate: null,
        sessions: [],
      });
    } finally {
      await store.close();
    }
  });
});

describe('store failures are StoreErrors with stable codes', () => {
  const payload = () => {
    const t = tenant();
    return mirror(t, { delivery: 'push', commit: 'c1', at: '2026-03-01T10:00:00Z' });
  };

  it('reports an unreachable Postgres as store-unavailable, when opening and when calling', async () => {
    const opening = await storeError(openPostgresStore({ connectionString: UNREACHABLE }));
    expect(opening.code).toBe('store-unavailable');
    expect(opening.retryable).toBe(true);
    const store = await openPostgresStore({ connectionString: UNREACHABLE, migrate: false });
    try {
      const calling = await storeError(store.recordValidation(payload()));
      expect(calling.code).toBe('store-unavailable');
      expect(calling.format()).toBe(
        'record validation: store unavailable (connect ECONNREFUSED 127.0.0.1:1) [store-unavailable]',
      );
      expect(Object.keys(calling)).not.toContain('cause');
    } finally {
      await store.close();
    }
  });

  it('reports a store used after close as store-unavailable', async () => {
    const db = await startPglite({ loadDataDir: await migratedPgliteDump() });
    const store = createPgliteStore(db);
    await store.close();
    const error = await storeError(store.recordValidation(payload()));
    expect(error.code).toBe('store-unavailable');
  });

  it('reports a database without the schema as store-failed, naming the missing function', async () => {
    const store = await openPostgresStore({
      connectionString: database().url.replace(/\/[^/]+$/, '/postgres'),
      migrate: false,
    });
    try {
      const error = await storeError(store.clientSummary(crypto.randomUUID()));
      expect(error.code).toBe('store-failed');
      expect(error.message).toBe('client summary: schema "idse" does not exist');
    } finally {
      await store.close();
    }
  });
});

describe('PGlite data dir', () => {
  it('is opened once per process, shared by its stores, and keeps data across reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idse-pglite-'));
    temp.push(dir);
    const dataDir = join(dir, 'data');
    // Initialised from the migrated dump to skip initdb; the data dir is real and on disk.
    const first = await openPgliteStore({ dataDir, loadDataDir: await migratedPgliteDump() });
    const second = await openPgliteStore({ dataDir });
    const t = tenant();
    const { client_id } = await first.recordInstallation(t.installation());
    // One instance: the second store sees the first one's write at once, and outlives its close.
    await first.close();
    expect((await second.clientSummary(client_id)).client_id).toBe(client_id);
    await second.close();
    expect((await storeError(second.clientSummary(client_id))).code).toBe('store-unavailable');
    const reopened = await openPgliteStore({ dataDir });
    try {
      const again = await reopened.recordInstallation(t.installation());
      expect(again).toMatchObject({ duplicate: true, client_id });
    } finally {
      await reopened.close();
    }
  });
});

describe('PGlite data dir the process cannot use', () => {
  it('says what is wrong with it in one coded line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idse-pglite-denied-'));
    temp.push(dir);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
    chmodSync(dataDir, 0o000);
    try {
      const denied = await storeError(openPgliteStore({ dataDir }));
      expect(denied.message).not.toContain('[object Object]');
      expect(denied.message).toMatch(/permission denied/i);
      expect(denied.message).toContain(dataDir);
      expect(denied.format().split('\n')).toHaveLength(1);
    } finally {
      chmodSync(dataDir, 0o755);
    }
  });
});

describe('PGlite data dir lock', () => {
  it('refuses a data dir another live process holds, and takes over one a dead process left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idse-pglite-lock-'));
    temp.push(dir);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    // The parent process (vitest's) is alive and is not us.
    writeFileSync(join(dataDir, 'idse.pid'), String(process.ppid));
    const busy = await storeError(openPgliteStore({ dataDir, loadDataDir: await migratedPgliteDump() }));
    expect(busy.code).toBe('store-unavailable');
    expect(busy.message).toBe(
      `the PGlite data dir ${dataDir} is open in process ${process.ppid}; one process at a time can use it (share a database between processes with the postgres backend)`,
    );
    // A pid that no longer runs: a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    writeFileSync(join(dataDir, 'idse.pid'), String(dead));
    const store = await openPgliteStore({ dataDir, loadDataDir: await migratedPgliteDump() });
    expect(readFileSync(join(dataDir, 'idse.pid'), 'utf8')).toBe(String(process.pid));
    await store.close();
    expect(existsSync(join(dataDir, 'idse.pid'))).toBe(false);
  });
});
