/**
 * `idse doctor`: what a first run needs, checked one by one, each failure with the fix. Node, git,
 * the workspace's config, the store the environment names (or the App holding it) and the App's own
 * settings. Every check is an edge (processes, files, the database): the command only renders.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { adminRoute } from '../admin/connect.ts';
import { loadConfig } from '../config/load.ts';
import { isIdseError } from '../errors.ts';
import { RULE_KEYS } from '../rules/registry.ts';
import { resolveRoot } from '../run/load.ts';
import { isStoreError } from '../store/errors.ts';
import { type StoreConfig, storeConfigFromEnv } from '../store/factory.ts';

export const CheckSchema = z.object({
  name: z.enum(['node', 'git', 'config', 'store', 'app']),
  /** `skip`: not set up, and only needed for a part of idse not in use. */
  status: z.enum(['ok', 'skip', 'fail']),
  detail: z.string(),
  fix: z.string().optional(),
});
export type Check = z.infer<typeof CheckSchema>;

export interface DoctorContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  root?: string | undefined;
}

/** Node as package.json's engines asks for it. */
export const NEEDED_NODE = [22, 18] as const;

export function checkNode(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const needed = `${NEEDED_NODE[0]}.${NEEDED_NODE[1]}`;
  const fits = major > NEEDED_NODE[0] || (major === NEEDED_NODE[0] && minor >= NEEDED_NODE[1]);
  return fits
    ? { name: 'node', status: 'ok', detail: `v${version} (idse needs ${needed} or newer)` }
    : {
        name: 'node',
        status: 'fail',
        detail: `v${version} is older than ${needed}`,
        fix: 'install Node 22.18 or newer; in this repository `bash scripts/setup.sh` puts Node 24 in .tools/',
      };
}

export function checkGit(env: NodeJS.ProcessEnv): Check {
  const run = spawnSync('git', ['--version'], { env, encoding: 'utf8' });
  if (run.status === 0) return { name: 'git', status: 'ok', detail: run.stdout.trim() };
  return {
    name: 'git',
    status: 'fail',
    detail: run.error ? 'git is not on PATH' : `git --version failed: ${run.stderr.trim()}`,
    fix: 'install git (Debian/Ubuntu: apt-get install git); validate --changed, sync and reports read history with it',
  };
}

export async function checkConfig(context: DoctorContext): Promise<Check> {
  try {
    const root = resolveRoot({ cwd: context.cwd, root: context.root });
    const { file } = await loadConfig(root, () => RULE_KEYS);
    return {
      name: 'config',
      status: 'ok',
      detail: file ? `${file} is valid` : `none in ${root}: the defaults apply`,
    };
  } catch (error) {
    if (!isIdseError(error)) throw error;
    return {
      name: 'config',
      status: 'fail',
      detail: error.format(),
      fix: 'correct the file as the message says (keys and values: docs/config.md, schemas/config.schema.json)',
    };
  }
}

/** The store as `idse agency …` would reach it: opened (migrations applied, as any command does) and closed. */
export async function checkStore(context: DoctorContext): Promise<Check> {
  let config: StoreConfig | undefined;
  try {
    const route = adminRoute(context.env, context.cwd);
    config = storeConfigFromEnv(context.env, context.cwd);
    if (route.through === 'app') return await checkApp(route.url, route.why, config);
    if (config.backend === 'pglite' && !existsSync(config.dataDir)) {
      return {
        name: 'store',
        status: 'ok',
        detail: `embedded (PGlite) at ${config.dataDir}: not created yet, the first store command creates it`,
      };
    }
    const { openStore } = await import('../store/factory.ts');
    const store = await openStore({ env: context.env, cwd: context.cwd });
    try {
      await store.findClient('idse-doctor');
    } finally {
      await store.close();
    }
    return { name: 'store', status: 'ok', detail: `${describe(config)}: opens, migrated, answers` };
  } catch (error) {
    if (!isStoreError(error)) throw error;
    const fix =
      error.code === 'store-unavailable'
        ? config?.backend === 'pglite'
          ? 'another process holds the data dir: let it finish, or stop it (while idse app holds it, agency commands go through the App)'
          : 'start the database, or correct its address'
        : STORE_FIXES[error.code];
    const where = config ? `${describe(config)}: ` : '';
    return { name: 'store', status: 'fail', detail: `${where}${error.format()}`, ...(fix ? { fix } : {}) };
  }
}

const STORE_FIXES: Record<string, string> = {
  'store-misconfigured':
    'set one store: DATABASE_URL, SUPABASE_URL with SUPABASE_SERVICE_ROLE_KEY, or IDSE_DATA_DIR (docs/store.md)',
  'store-denied': 'use a key or database user with the service role (docs/store.md, Row-level security)',
  'migration-failed': 'an applied migration was edited or one failed: see docs/store.md, Migrations',
  'store-failed': 'apply the migrations of this version (docs/store.md, Migrations)',
};

async function checkApp(url: string, why: 'admin-key' | 'data-dir', config: StoreConfig): Promise<Check> {
  const through =
    why === 'data-dir'
      ? `${describe(config)}, held by idse app at ${url}: agency commands go through it`
      : `through idse app at ${url} (IDSE_AGENCY_URL with IDSE_ADMIN_KEY)`;
  try {
    const answer = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(5000) });
    if (answer.ok) return { name: 'store', status: 'ok', detail: through };
    return {
      name: 'store',
      status: 'fail',
      detail: `${through}, but /healthz answers ${answer.status}`,
      fix: APP_DOWN,
    };
  } catch {
    return { name: 'store', status: 'fail', detail: `${through}, but it does not answer`, fix: APP_DOWN };
  }
}

const APP_DOWN =
  'check that idse app is running and reachable at that address (its log says where it listens)';

/** Where the store is, without credentials. */
function describe(config: StoreConfig): string {
  switch (config.backend) {
    case 'pglite':
      return `embedded (PGlite) at ${config.dataDir}`;
    case 'postgres': {
      const url = URL.canParse(config.connectionString) ? new URL(config.connectionString) : undefined;
      return `postgres at ${url ? `${url.host}${url.pathname}` : 'DATABASE_URL'}`;
    }
    case 'supabase':
      return `supabase at ${new URL(config.url).host}`;
  }
}

const APP_VARIABLES = ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'WEBHOOK_SECRET'];

export async function checkAppEnv(context: DoctorContext): Promise<Check> {
  if (!APP_VARIABLES.some((name) => context.env[name])) {
    return {
      name: 'app',
      status: 'skip',
      detail:
        'not configured: only idse app needs APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET',
      fix: 'to run the GitHub App, create it from app.yml and set those (docs/app.md)',
    };
  }
  const { appConfigFromEnv } = await import('../app/env.ts');
  try {
    const config = appConfigFromEnv(context.env, context.cwd);
    const github = config.server.baseUrl ?? 'https://api.github.com';
    return {
      name: 'app',
      status: 'ok',
      detail: `App ${config.server.appId}, private key read, webhook secret set; GitHub at ${github}; port ${config.port}`,
    };
  } catch (error) {
    if (!isIdseError(error)) throw error;
    return { name: 'app', status: 'fail', detail: error.format(), fix: 'see docs/app.md, Running it' };
  }
}

/** Every check, in the order a first run meets them. */
export async function runChecks(context: DoctorContext): Promise<Check[]> {
  return [
    checkNode(),
    checkGit(context.env),
    await checkConfig(context),
    await checkStore(context),
    await checkAppEnv(context),
  ];
}
