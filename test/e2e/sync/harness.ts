/**
 * The sync gateway end to end: the App server on a real port with the gateway as its route, the
 * store on a real backend (PGlite from a migrated dump, or a fresh database on the real Postgres), a
 * real git repository in a temp folder, and the CLI run in-process against the server's URL. Nothing
 * of idse is mocked; the test reads the database with SQL to see what a command wrote.
 */
import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { type AppServer, createAppServer } from '../../../src/app/server.ts';
import { generateApiKey } from '../../../src/auth/keys.ts';
import { TokenIssuer } from '../../../src/auth/tokens.ts';
import { createSyncGateway, type SyncGateway, type SyncGatewayOptions } from '../../../src/gateway/index.ts';
import { createPgliteStore, startPglite } from '../../../src/store/backends/pglite.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import type { Store } from '../../../src/store/store.ts';
import { idse } from '../../helpers/cli.ts';
import { createTestDatabase } from '../../helpers/postgres.ts';
import { counts, type Db, migratedPgliteDump, pgDb, pgliteDb } from '../../integration/store/harness.ts';
import { TestRepo } from '../app/repo.ts';

export type Backend = 'pglite' | 'postgres';

export interface SyncHarness {
  url: string;
  store: Store;
  db: Db;
  tokens: TokenIssuer;
  app: AppServer;
  gateway: SyncGateway;
  /** Environment for a postgres harness's store commands (idse agency …); undefined on PGlite. */
  storeEnv: NodeJS.ProcessEnv | undefined;
  /** A client without GitHub and a sync key for it (bound to `project` when given). */
  client(name: string, project?: string): Promise<{ client_id: string; key: string }>;
  /** Rows per tenant table for the client. */
  rows(clientId: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}

let privateKey: string | undefined;
/** The App's private key (it signs sync tokens), one per test file: RSA key generation is slow. */
function appKey(): string {
  privateKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return privateKey;
}

async function openBackend(backend: Backend) {
  if (backend === 'pglite') {
    const pglite = await startPglite({ loadDataDir: await migratedPgliteDump() });
    const store = createPgliteStore(pglite);
    return { store, db: pgliteDb(pglite), storeEnv: undefined, drop: async () => undefined };
  }
  const database = await createTestDatabase('idse_sync');
  const store = await openPostgresStore({ connectionString: database.url });
  const db = pgDb(database.url);
  return {
    store,
    db,
    storeEnv: { IDSE_STORE: 'postgres', DATABASE_URL: database.url },
    drop: async () => {
      await db.close();
      await database.drop();
    },
  };
}

export async function startSyncHarness(
  backend: Backend,
  options: Partial<Omit<SyncGatewayOptions, 'store' | 'tokens'>> & { store?: 'none' } = {},
): Promise<SyncHarness> {
  const { store, db, storeEnv, drop } = await openBackend(backend);
  const key = appKey();
  const tokens = TokenIssuer.fromPrivateKey(key);
  const gateway = createSyncGateway({
    ...options,
    store: options.store === 'none' ? undefined : store,
    tokens,
  });
  const app = await createAppServer({
    appId: 1,
    privateKey: key,
    webhookSecret: 'unused-by-these-tests',
    log: pino({ level: 'silent' }),
    app: { threads: 1 },
    routes: [gateway],
  });
  const address = await app.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${address.port}`,
    store,
    db,
    tokens,
    app,
    gateway,
    storeEnv,
    async client(name, project) {
      const { client_id } = await store.createClient({ name });
      const { key, hash, prefix } = generateApiKey('sync');
      await store.createApiKey({
        client_id,
        project: project ?? null,
        scope: 'sync',
        key_prefix: prefix,
        key_hash: hash,
      });
      return { client_id, key };
    },
    rows: (clientId) => counts(db, clientId),
    async close() {
      await app.close();
      await gateway.close();
      await store.close();
      await drop();
    },
  };
}

/** A git repository holding `idse init <project>` (committed), with the CLI's environment for it. */
export async function initWorkspace(project: string): Promise<TestRepo> {
  const repo = TestRepo.create();
  const init = await idse(['init', project], { cwd: repo.dir });
  if (init.code !== 0) throw new Error(`idse init failed: ${init.stderr}`);
  repo.commit({}, 'idse init');
  return repo;
}

/** Runs `idse …` in the repository against the harness, with the key given. */
export function syncCli(h: SyncHarness, repo: TestRepo, key: string) {
  return (...args: string[]) =>
    idse(args, { cwd: repo.dir, env: { IDSE_AGENCY_URL: h.url, IDSE_API_KEY: key } });
}
