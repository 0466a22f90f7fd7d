import { resolve } from 'node:path';
import { Command } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import type { Store } from '../../src/store/store.ts';
import { IdseCommand } from '../base.ts';

export class AppCommand extends IdseCommand {
  static override paths = [['app']];

  static override usage = Command.Usage({
    description: 'Serve the idse GitHub App: check runs on pushes and pull requests.',
    details: `
      Starts the GitHub App (Agency Core) on \`PORT\` (default 3000). Webhooks arrive at \`WEBHOOK_PATH\` (default \`/api/github/webhooks\`); \`GET /healthz\` answers \`ok\` for load balancers.

      Settings come from the environment, named as Probot names them: \`APP_ID\`, \`PRIVATE_KEY\` (or \`PRIVATE_KEY_PATH\`), \`WEBHOOK_SECRET\` (all required); \`GHE_HOST\` and \`GHE_PROTOCOL\` for GitHub Enterprise Server; \`HOST\`, \`LOG_LEVEL\` (default info; logs are JSON lines on stdout).

      Mirrors clients, repositories and every check run into the store when one is configured: \`IDSE_STORE\` (pglite, postgres or supabase), \`DATABASE_URL\`, \`SUPABASE_URL\` with \`SUPABASE_SERVICE_ROLE_KEY\`, or \`IDSE_DATA_DIR\`, as every store command reads them; migrations run at start. Validations then run as durable jobs (pg-boss in the store's database; on Supabase it needs \`SUPABASE_DB_URL\`), and mirror writes that fail while the store is down wait in an outbox on disk (\`IDSE_OUTBOX_DIR\`, default \`.idse-outbox\`) until it is back. Otherwise clients and jobs are kept in memory only.

      Serves the Agency dashboard at \`/dashboard\` for admin API keys (\`idse agency keys create --admin\`); it needs the store. See docs/dashboard.md.

      Runs until SIGINT or SIGTERM, then finishes the validations it has started. See docs/app.md.
    `,
    examples: [
      ['Serve the App', 'APP_ID=123 PRIVATE_KEY_PATH=app.pem WEBHOOK_SECRET=… $0 app'],
      ['Against GitHub Enterprise Server', 'GHE_HOST=github.example.com APP_ID=… $0 app'],
    ],
  });

  async run(): Promise<number> {
    // Loaded here, not at the top: every other command would otherwise pay for loading Probot.
    const { appConfigFromEnv } = await import('../../src/app/env.ts');
    const config = appConfigFromEnv(this.context.env, this.context.cwd);
    const store = storeWanted(this.context.env)
      ? await openMirror(this.context.env, this.context.cwd)
      : undefined;
    const queue = store ? await durableQueue(store.store) : undefined;
    const { createAppServer } = await import('../../src/app/server.ts');
    // Gateway and dashboard tokens are signed with the App's own key: no extra secret to configure.
    const { TokenIssuer } = await import('../../src/auth/tokens.ts');
    const tokens = TokenIssuer.fromPrivateKey(config.server.privateKey);
    // One pool of parsing workers and one facts cache for webhook validations and sync pushes alike.
    const { FactsPool } = await import('../../src/run/facts-pool.ts');
    const { MemoryFactsCache } = await import('../../src/app/facts-cache.ts');
    const workers = new FactsPool();
    const facts = new MemoryFactsCache();
    const { createSyncGateway } = await import('../../src/gateway/index.ts');
    const gateway = createSyncGateway({ store: store?.store, tokens, workers, facts });
    const { createDashboard } = await import('../../src/dashboard/routes.ts');
    const { createAdminApi } = await import('../../src/admin/routes.ts');
    const { localUrl, newLocalToken, publishEndpoint } = await import('../../src/admin/endpoint.ts');
    // Agency admin commands on this machine reach the store through the App (see docs/agency.md).
    const localToken = newLocalToken();
    // Session pages show their docs: rendered off the event loop, GitHub's read with the App's installations.
    const { DocRenderer } = await import('../../src/dashboard/doc-renderer.ts');
    const { githubDocTexts, githubWebOf } = await import('../../src/app/doc-texts.ts');
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
      const dataDir = store?.store.backend === 'pglite' ? await embeddedDataDir(this.context) : undefined;
      unpublish = dataDir
        ? publishEndpoint(dataDir, { pid: process.pid, url: localUrl(address), token: localToken })
        : undefined;
      // Not awaited: webhooks are served meanwhile; a failure only means the first push warms them.
      app.idse.warm().catch((error: unknown) => log.warn({ err: error }, 'idse: parser warm-up failed'));
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      log.info(`idse app: ${signal}, finishing running validations`);
      await app.close();
      await workers.close();
      await renderer.close();
      return 0;
    } finally {
      unpublish?.();
      process.off('unhandledRejection', onRejection);
      await store?.store.close();
    }
  }
}

/** The App keeps clients in memory unless the environment names a store (unlike other commands, no PGlite by default). */
const storeWanted = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(
    env.IDSE_STORE?.trim() ||
      env.DATABASE_URL ||
      env.IDSE_DATA_DIR ||
      (env.SUPABASE_URL && (env.SUPABASE_SERVICE_ROLE_KEY || env.SUPABASE_SECRET_KEY)),
  );

/**
 * Opens the store the environment names (PGlite and Postgres apply pending migrations on open), with
 * its outbox on local disk: IDSE_OUTBOX_DIR, default `.idse-outbox` in the working directory.
 */
async function openMirror(env: NodeJS.ProcessEnv, cwd: string) {
  const { openStore } = await import('../../src/store/factory.ts');
  const { StoreMirror } = await import('../../src/app/store-mirror.ts');
  const { FileOutbox } = await import('../../src/app/outbox.ts');
  const outbox = new FileOutbox(resolve(cwd, env.IDSE_OUTBOX_DIR || '.idse-outbox'));
  return new StoreMirror(await openStore({ env, cwd }), { outbox });
}

/** The embedded store's data dir, as the store factory resolved it. */
async function embeddedDataDir(context: {
  env: NodeJS.ProcessEnv;
  cwd: string;
}): Promise<string | undefined> {
  const { storeConfigFromEnv } = await import('../../src/store/factory.ts');
  const config = storeConfigFromEnv(context.env, context.cwd);
  return config.backend === 'pglite' ? config.dataDir : undefined;
}

/** pg-boss in the store's database, when it has one we can reach with SQL. */
async function durableQueue(store: Store) {
  if (!store.jobDatabase) return undefined;
  const { DurableJobQueue } = await import('../../src/app/durable-queue.ts');
  return new DurableJobQueue(store.jobDatabase);
}
