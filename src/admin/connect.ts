/**
 * Where `idse agency …` sends its work: to the App's admin API when an admin key and the App's
 * address are given (IDSE_ADMIN_KEY, IDSE_AGENCY_URL), or when an App is running on the embedded
 * store's data dir (which no second process may open); otherwise to the store itself.
 */
import { StoreError } from '../store/errors.ts';
import { storeConfigFromEnv } from '../store/factory.ts';
import { remoteAdminStore } from './client.ts';
import { runningApp } from './endpoint.ts';
import type { AdminStore } from './operations.ts';

export type AdminRoute =
  | { through: 'app'; url: string; token: string; why: 'admin-key' | 'data-dir' }
  | { through: 'store' };

export function adminRoute(env: NodeJS.ProcessEnv, cwd: string): AdminRoute {
  if (env.IDSE_ADMIN_KEY) {
    if (!env.IDSE_AGENCY_URL) {
      throw new StoreError(
        'store-misconfigured',
        "IDSE_ADMIN_KEY is set without IDSE_AGENCY_URL, the App's address to send admin commands to",
      );
    }
    return { through: 'app', url: env.IDSE_AGENCY_URL, token: env.IDSE_ADMIN_KEY, why: 'admin-key' };
  }
  const config = storeConfigFromEnv(env, cwd);
  const app = config.backend === 'pglite' ? runningApp(config.dataDir) : undefined;
  return app ? { through: 'app', url: app.url, token: app.token, why: 'data-dir' } : { through: 'store' };
}

/** The App's admin API when the route goes there; undefined when the store is to be opened directly. */
export function appAdminStore(env: NodeJS.ProcessEnv, cwd: string): AdminStore | undefined {
  const route = adminRoute(env, cwd);
  return route.through === 'app' ? remoteAdminStore(route) : undefined;
}
