/**
 * One App on a real port, one GitHub stand-in serving a real git repository, webhooks sent over
 * HTTP and signed as GitHub signs them. Nothing of idse is mocked: the App is configured from the
 * same environment variables `idse app` reads, with GHE_HOST pointing at the stand-in.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import pino from 'pino';
import { appConfigFromEnv } from '../../../src/app/env.ts';
import type { GitHubClientOptions } from '../../../src/app/github/octokit.ts';
import type { IdseAppOptions } from '../../../src/app/index.ts';
import type { MemoryClientStore } from '../../../src/app/mirror/store.ts';
import { type AppServer, createAppServer } from '../../../src/app/server.ts';
import { GitHubStandin } from '../../helpers/github-standin.ts';
import { TestRepo } from './repo.ts';
import { type RepoTarget, sign } from './webhooks.ts';

export const TARGET: RepoTarget = {
  owner: 'acme',
  repo: 'docs',
  repoId: 5150,
  installationId: 77,
  appId: 4242,
};
export const SECRET = 'webhook-secret-for-tests';

let keys: { privateKey: string; publicKey: string } | undefined;
/** One RSA key pair per test file: the App signs its JWTs with it, the stand-in verifies them. */
export function appKeys(): { privateKey: string; publicKey: string } {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return keys;
}

export interface Harness {
  repo: TestRepo;
  github: GitHubStandin;
  app: AppServer;
  url: string;
  logs: Array<Record<string, unknown> & { msg?: string; level?: number }>;
  /** POSTs a webhook the way GitHub does; `signature: false` leaves it unsigned. */
  send(
    event: string,
    payload: unknown,
    options?: { secret?: string; signature?: boolean; delivery?: string },
  ): Promise<{ status: number; text: string }>;
  /** Waits until every validation the App queued has finished. */
  settle(): Promise<void>;
  store: MemoryClientStore;
  close(): Promise<void>;
}

/** GitHub's stand-in serving `repo` as TARGET, for an App with `publicKey`. */
export const standinFor = (repo: TestRepo, publicKey: string, options: { maxTreeEntries?: number } = {}) =>
  GitHubStandin.start({
    repoDir: repo.dir,
    owner: TARGET.owner,
    repo: TARGET.repo,
    appId: TARGET.appId,
    installationId: TARGET.installationId,
    publicKey,
    ...options,
  });

export async function startHarness(
  options: { github?: GitHubClientOptions; maxTreeEntries?: number; app?: IdseAppOptions } = {},
): Promise<Harness> {
  const { privateKey, publicKey } = appKeys();
  const repo = TestRepo.create();
  const github = await standinFor(
    repo,
    publicKey,
    options.maxTreeEntries ? { maxTreeEntries: options.maxTreeEntries } : {},
  );
  const logs: Harness['logs'] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const env = {
    APP_ID: String(TARGET.appId),
    PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    PORT: '0',
  };
  const config = appConfigFromEnv(env);
  // Retries wait 50 ms × (n + 1)² instead of 1 s × (n + 1)²: the same plugin path, shorter waits.
  const app = await createAppServer({
    ...config.server,
    log,
    github: { retryBaseMs: 50, ...options.github },
    ...(options.app ? { app: options.app } : {}),
  });
  const address = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    repo,
    github,
    app,
    url,
    logs,
    store: app.idse.store as MemoryClientStore,
    send: async (event, payload, opts = {}) => {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': opts.delivery ?? randomUUID(),
        'user-agent': 'GitHub-Hookshot/test',
      };
      if (opts.signature !== false) headers['x-hub-signature-256'] = sign(opts.secret ?? SECRET, body);
      const response = await fetch(`${url}${app.webhookPath}`, { method: 'POST', headers, body });
      return { status: response.status, text: await response.text() };
    },
    settle: () => app.idse.idle(),
    close: async () => {
      await app.close();
      await github.close();
      repo.remove();
    },
  };
}

/** Log lines at `level` or above (pino: 40 warn, 50 error), as text. */
export const logLines = (h: Harness, level = 30): string[] =>
  h.logs.filter((l) => (l.level ?? 0) >= level).map((l) => String(l.msg ?? ''));
