import { CONFIG_FILES } from '../../config/files.ts';
import { parseConfig } from '../../config/parse.ts';
import { type Config, defaultConfig } from '../../config/schema.ts';
import { parseDesignManifest } from '../../design/load.ts';
import type { DesignContext } from '../../design/manifest.ts';
import { RULE_KEYS } from '../../rules/registry.ts';
import { type GitHub, type Repo, readBlob, type TreeEntry } from './github.ts';

export interface RepoConfig {
  config: Config;
  /** The config file in the repository, when there is one. */
  file?: string;
}

/**
 * The config at the head commit, found in its tree (the first of CONFIG_FILES, as the CLI looks)
 * and read as one blob. A bad config throws IdseError('config-invalid') with file and line.
 */
export async function readRepoConfig(
  gh: GitHub,
  repo: Repo,
  tree: readonly TreeEntry[],
): Promise<RepoConfig> {
  const byPath = new Map(tree.map((e) => [e.path, e]));
  for (const file of CONFIG_FILES) {
    const entry = byPath.get(file);
    if (!entry) continue;
    const text = new TextDecoder().decode(await readBlob(gh, repo, entry.sha));
    return { config: parseConfig(text, file, RULE_KEYS), file };
  }
  return { config: defaultConfig() };
}

/**
 * The Design Sandbox manifest the config names, when it is a file of the same commit. Like the CLI's
 * loader, a bad manifest becomes data the `agency://` rule reports, not an exception. A URL is not
 * fetched: a server fetching addresses its clients' repositories choose could be pointed at its own
 * network. Those references then go unchecked, and `note` says so in the summary.
 */
export async function readDesign(
  gh: GitHub,
  repo: Repo,
  tree: readonly TreeEntry[],
  config: Config,
): Promise<{ design?: DesignContext; note?: string }> {
  const source = config.design?.manifest;
  if (!source) return {};
  if (/^[a-z][a-z0-9+.-]*:/i.test(source)) {
    return {
      note: `\`agency://\` references were not checked: the App reads the design manifest only from the repository, not from ${source.split('/').slice(0, 3).join('/')}…; \`idse validate\` checks them.`,
    };
  }
  const path = source.replace(/^\.\//, '');
  const entry = tree.find((e) => e.path === path);
  if (!entry) return { design: { source, error: 'not found in the repository at this commit' } };
  if (entry.size > config.maxFileBytes) {
    return { design: { source, error: `larger than ${config.maxFileBytes} bytes (maxFileBytes)` } };
  }
  const text = new TextDecoder().decode(await readBlob(gh, repo, entry.sha));
  return { design: parseDesignManifest(text, source) };
}
