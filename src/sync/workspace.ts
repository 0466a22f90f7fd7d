/**
 * Where `idse sync` works and with whom: the git repository around the current folder (paths are
 * relative to its root, as git and the gateway see them), its config, and Agency Core's address and
 * API key (the key only from the environment: it is a secret and has no place in a committed file).
 */
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { IdseError } from '../errors.ts';
import { RULE_KEYS } from '../rules/registry.ts';
import { findGitRoot } from '../run/sources/git.ts';
import { SyncError } from './errors.ts';

export interface SyncWorkspace {
  root: string;
  config: Config;
}

export async function syncWorkspace(cwd: string): Promise<SyncWorkspace> {
  const root = await findGitRoot(cwd);
  if (!root) {
    throw new IdseError('not-a-workspace', `idse sync works in a git repository, and ${cwd} is not in one`);
  }
  return { root, config: (await loadConfig(root, () => RULE_KEYS)).config };
}

export interface AgencySettings {
  url: string;
  key: string;
}

/** Agency Core's address (--agency, IDSE_AGENCY_URL, config `sync.url`) and the key (IDSE_API_KEY). */
export function agencySettings(
  env: NodeJS.ProcessEnv,
  config: Config,
  url: string | undefined,
): AgencySettings {
  const address = url ?? env.IDSE_AGENCY_URL ?? config.sync?.url;
  if (!address) {
    throw new SyncError(
      'sync-not-configured',
      "no Agency Core address: set IDSE_AGENCY_URL, pass --agency, or set sync.url in the workspace's config",
    );
  }
  if (!/^https?:\/\/[^/]/.test(address)) {
    throw new SyncError(
      'sync-not-configured',
      `the Agency Core address must be an http(s) URL, not ${address}`,
    );
  }
  const key = env.IDSE_API_KEY;
  if (!key) {
    throw new SyncError(
      'sync-not-configured',
      'no API key: set IDSE_API_KEY to a key from `idse agency keys create`',
    );
  }
  return { url: address, key };
}
