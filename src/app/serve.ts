/**
 * `idse app` assembled: the App server with the store mirror, the durable queue, the sync gateway,
 * the dashboard and the admin API on one port, until `stop` aborts. The command only parses and
 * turns the outcome into an exit code.
 */
import { resolve } from 'node:path';
import { localUrl, newLocalToken, publishEndpoint } from '../admin/endpoint.ts';
import { createAdminApi } from '../admin/routes.ts';
import { TokenIssuer } from '../auth/tokens.ts';
import { DocRenderer } from '../dashboard/doc-renderer.ts';
import { createDashboard } from '../dashboard/routes.ts';
import { IdseError } from '../errors.ts';
import { createSyncGateway } from '../gateway/index.ts';
import { FactsPool } from '../run/facts-pool.ts';
import { TieredFactsCache } from '../run/memory-facts-cache.ts';
import { openStore, storeConfigFromEnv, storeNamed } from '../store/factory.ts';
import type { Store } from '../store/store.ts';
import { appConfigFromEnv } from './env.ts';
import { githubDocTexts, githubWebOf } from './github/doc-texts.ts';
import { FileOutbox } from './mirror/outbox.ts';
import { StoreMirror } from './mirror/store-mirror.ts';
import { createAppServer } from './server.ts';

export interface ServeOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted (its reason names why, e.g. SIGTERM) when the App should finish its validations and stop. */
  stop: AbortSignal;
}

/** Serves until `stop` aborts, then finishes running validations and closes everything it opened. */
export async function serveApp({ env, cwd, stop }: ServeOptions): Promise<void> {
  const config = appConfigFromEnv(env, cwd);
  // The App keeps clients in memory unless the environment names a store (no PGlite by default).
  const store = storeNamed(env) ? await openMirror(env, cwd) : undefined;
  const queue = store ? await durableQueue(store.store) : undefined;
  // Gateway and dashboard tokens are signed with the App's own key: no extra secret to configure.
  const tokens = TokenIssuer.fromPrivateKey(config.server.privateKey);
  // One pool of parsing workers and one facts cache for webhook validations and sync pushes alike,
  // over the store when there is one: replicas share what they parsed, and a restart parses nothing seen.
  const workers = new FactsPool();
  const facts = new TieredFactsCache(store?.store);
  const gateway = createSyncGateway({ store: store?.store, tokens, workers, facts });
  // Agency admin commands on this machine reach the store through the App (see docs/agency.md).
  const localToken = newLocalToken();
  // Session pages show their docs: rendered off the event loop, GitHub's read with the App's installations.
  const renderer = new DocRenderer();
  const docs = {
    renderer,
    githubWeb: githubWebOf(config.server.baseUrl),
    readGitHubBlobs: githubDocTexts((installationId) => app.probot.auth(installationId)),
  };
  const app = await createAppServer({
    ...config.server,
    app: { workers, facts, ...(store ? { store, ...(queue ? { queue } : {}) } : {}) },
    routes: [
      gateway,
      createDashboard({ store: store?.store, tokens, docs }),
      createAdminApi({ store: store?.store, localToken }),
    ],
  });
  const log = app.probot.log;
  gateway.log = log;
  facts.log = log;
  if (store) {
    log.info(
      `idse app: mirroring into the ${store.store.backend} store; jobs ${queue ? 'kept in its database' : 'in memory (set SUPABASE_DB_URL for a durable queue)'}; outbox ${store.outbox?.dir}`,
    );
    // Writes left in the outbox by an earlier run (the store was down) go first.
    void store.replayOutbox();
  }
  // Last line of defence: a rejection nobody handled is logged and the server keeps serving.
  const onRejection = (reason: unknown) => log.error({ err: reason }, 'idse: unhandled rejection');
  process.on('unhandledRejection', onRejection);
  let unpublish: (() => void) | undefined;
  try {
    const address = await app.listen(config.port, config.host).catch((error: Error) => {
      throw new IdseError('usage', `cannot listen on port ${config.port}: ${error.message}`);
    });
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    log.info(`idse app listening on http://${host}:${address.port}${app.webhookPath}`);
    // PGlite allows one process per data dir: admin commands find the App here and go through it.
    const dataDir = store?.store.backend === 'pglite' ? embeddedDataDir(env, cwd) : undefined;
    unpublish = dataDir
      ? publishEndpoint(dataDir, { pid: process.pid, url: localUrl(address), token: localToken })
      : undefined;
    // Not awaited: webhooks are served meanwhile; a failure only means the first push warms them.
    app.idse.warm().catch((error: unknown) => log.warn({ err: error }, 'idse: parser warm-up failed'));
    await stopped(stop);
    log.info(`idse app: ${String(stop.reason)}, finishing running validations`);
    await app.close();
    await facts.settled();
    await workers.close();
    await renderer.close();
  } finally {
    unpublish?.();
    process.off('unhandledRejection', onRejection);
    await store?.store.close();
  }
}

const stopped = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * Opens the store the environment names (PGlite and Postgres apply pending migrations on open), with
 * its outbox on local disk: IDSE_OUTBOX_DIR, default `.idse-outbox` in the working directory.
 */
async function openMirror(env: NodeJS.ProcessEnv, cwd: string): Promise<StoreMirror> {
  const outbox = new FileOutbox(resolve(cwd, env.IDSE_OUTBOX_DIR || '.idse-outbox'));
  return new StoreMirror(await openStore({ env, cwd }), { outbox });
}

/** The embedded store's data dir, as the store factory resolved it. */
function embeddedDataDir(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const config = storeConfigFromEnv(env, cwd);
  return config.backend === 'pglite' ? config.dataDir : undefined;
}

/** pg-boss in the store's database, when it has one we can reach with SQL. */
async function durableQueue(store: Store) {
  if (!store.jobDatabase) return undefined;
  // Loaded only here: pg-boss is large and an App without a database never needs it.
  const { DurableJobQueue } = await import('./queue/durable-queue.ts');
  return new DurableJobQueue(store.jobDatabase);
}
