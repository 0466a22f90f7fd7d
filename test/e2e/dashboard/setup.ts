/**
 * The dashboard as deployed: the App server (createAppServer) on a real port with the dashboard route
 * over the Postgres store, two tenants with the hand-worked history of the store tests, and real API
 * keys created in the store: one agency-wide admin, one admin per tenant, one sync key.
 */
import pino from 'pino';
import { chromium } from 'playwright-core';
import { githubDocTexts } from '../../../src/app/github/doc-texts.ts';
import { type AppServer, createAppServer } from '../../../src/app/server.ts';
import { generateApiKey } from '../../../src/auth/keys.ts';
import { TokenIssuer } from '../../../src/auth/tokens.ts';
import { DocRenderer } from '../../../src/dashboard/doc-renderer.ts';
import { createDashboard } from '../../../src/dashboard/routes.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import type { Store } from '../../../src/store/store.ts';
import { agencyHistory } from '../../integration/store/agency.ts';
import { type Tenant, tenant } from '../../integration/store/fixtures.ts';
import { appKeys } from '../app/harness.ts';

export interface TenantFixture {
  tenant: Tenant;
  clientId: string;
  projects: Record<string, number>;
  sessions: Record<string, number>;
  /** Admin key of this client only. */
  adminKey: string;
}

export interface DashboardFixture {
  url: string;
  store: Store;
  tokens: TokenIssuer;
  agencyKey: string;
  a: TenantFixture;
  b: TenantFixture;
  /** A live sync key of tenant A: valid, but not for the dashboard. */
  syncKey: string;
  /** A client whose name is markup, to see it escaped. */
  hostileName: string;
  close(): Promise<void>;
}

export async function startServer(routes: AppServerRoutes): Promise<{ app: AppServer; url: string }> {
  const app = await createAppServer({
    appId: 4242,
    privateKey: appKeys().privateKey,
    webhookSecret: 'dashboard-tests',
    log: pino({ level: 'silent' }),
    routes,
  });
  const { port } = await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}` };
}
type AppServerRoutes = NonNullable<Parameters<typeof createAppServer>[0]['routes']>;

async function key(store: Store, clientId: string | null, scope: 'admin' | 'sync'): Promise<string> {
  const { key, hash, prefix } = generateApiKey(scope);
  await store.createApiKey({ client_id: clientId, scope, key_prefix: prefix, key_hash: hash, label: 'test' });
  return key;
}

async function tenantFixture(store: Store, label: string): Promise<TenantFixture> {
  const t = tenant(label);
  const clientId = await agencyHistory(store, t);
  const projects = Object.fromEntries(
    (await store.agencyProjects({ clientId })).map((p) => [p.project, p.project_id]),
  );
  const sessions = Object.fromEntries(
    (await store.agencySessions({ clientId })).map((s) => [s.session, s.session_id]),
  );
  return { tenant: t, clientId, projects, sessions, adminKey: await key(store, clientId, 'admin') };
}

export async function startDashboard(databaseUrl: string): Promise<DashboardFixture> {
  const store = await openPostgresStore({ connectionString: databaseUrl });
  const a = await tenantFixture(store, 'tenant-a');
  const b = await tenantFixture(store, 'tenant-b');
  const hostileName = `<script>alert("x")</script> & co`;
  await store.createClient({ name: hostileName });
  const tokens = TokenIssuer.fromPrivateKey(appKeys().privateKey);
  const { app, url } = await startServer([createDashboard({ store, tokens })]);
  return {
    url,
    store,
    tokens,
    agencyKey: await key(store, null, 'admin'),
    a,
    b,
    syncKey: await key(store, a.clientId, 'sync'),
    hostileName,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** Debian's Chromium, headless, as the browser tests drive it (playwright-core, no browser download). */
export const launchBrowser = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

/** GitHub's web address the dashboards of these tests link docs to. */
export const GITHUB_WEB = 'https://github.example';

/**
 * The dashboard over `store`, showing docs (GitHub's read with `auth`, when given), and an agency-wide
 * admin key for it; what to close afterwards goes onto `closing`.
 */
export async function dashboardOn(
  store: Store,
  closing: (() => Promise<unknown>)[],
  auth?: Parameters<typeof githubDocTexts>[0],
): Promise<{ url: string; key: string }> {
  const renderer = new DocRenderer();
  const { app, url } = await startServer([
    createDashboard({
      store,
      tokens: TokenIssuer.fromPrivateKey(appKeys().privateKey),
      docs: { renderer, githubWeb: GITHUB_WEB, ...(auth ? { readGitHubBlobs: githubDocTexts(auth) } : {}) },
    }),
  ]);
  closing.push(
    () => app.close(),
    () => renderer.close(),
  );
  return { url, key: await key(store, null, 'admin') };
}
