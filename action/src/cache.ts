import { createHash } from 'node:crypto';
import { FACTS_VERSION } from '../../src/model/facts-key.ts';
import { factsFileKeys } from '../../src/run/facts-cache.ts';

/** The calls of @actions/cache this module makes, injected so tests can stand in for the service. */
export interface CacheToolkit {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

export interface CacheLog {
  info(message: string): void;
  warning(message: string): void;
  /** Shown with step debug on; always on stdout, where bench/action.ts times the phases by it. */
  debug(message: string): void;
}

/** What a restore left on disk: the facts the run can reuse, and the entry they came from. */
export interface Restored {
  /** The facts file; its content names the entry. */
  file: string;
  /** Every file the entry holds: the facts, then the memos of the run that saved them. */
  paths: string[];
  os: string;
  /** The cache entry restored, if any. */
  matched: string | undefined;
  /** Content keys of the facts in the restored file. */
  keys: ReadonlySet<string>;
}

export interface Saved {
  parsed: number;
  cached: number;
  /** The key saved under; undefined when the run parsed nothing new (or the save failed). */
  key: string | undefined;
}

/**
 * Facts are only valid for one FACTS_VERSION, and the v8-serialised file for one platform: both are
 * in every key, so the prefix restores the newest entry of a compatible kind.
 */
export const keyPrefix = (os: string): string => `idse-facts-v${FACTS_VERSION}-${os}-`;

/**
 * The facts file holds exactly the docs' content keys of the run that wrote it, so their hash names
 * its content whatever order they were written in: two runs over the same docs share one entry.
 */
export function cacheKey(os: string, keys: Iterable<string>): string {
  const hash = createHash('sha256')
    .update([...keys].sort().join('\n'))
    .digest('hex')
    .slice(0, 32);
  return `${keyPrefix(os)}${hash}`;
}

/** Content keys in a facts cache file; none if unreadable. */
export const factKeys = factsFileKeys;

/**
 * Restores the newest facts entry into `paths` (the facts file first, then the run's memos, which
 * travel with the facts they were made from). Undefined when the service is absent (a local run,
 * GHES without cache): the run then goes without a disk cache. A failing service costs only speed.
 */
export async function restoreFacts(
  toolkit: CacheToolkit,
  paths: [facts: string, ...memos: string[]],
  os: string,
  log: CacheLog,
): Promise<Restored | undefined> {
  const [file] = paths;
  if (!toolkit.isFeatureAvailable()) return undefined;
  const prefix = keyPrefix(os);
  let matched: string | undefined;
  try {
    // The content key is unknown before the run: the prefix as primary key and restore key takes
    // the newest entry, whether the service prefix-matches primary keys or not.
    matched = await toolkit.restoreCache([...paths], prefix, [prefix]);
  } catch (error) {
    log.warning(`idse: facts cache not restored: ${messageOf(error)}`);
  }
  const keys = matched ? factKeys(file) : new Set<string>();
  log.debug(`idse: restored facts hold ${keys.size} docs`);
  return { file, paths, os, matched, keys };
}

/**
 * Counts what the run parsed and what it took from the restored facts, and saves the file under its
 * content key when something was parsed (otherwise the restored entry already holds it).
 */
export async function saveFacts(toolkit: CacheToolkit, restored: Restored, log: CacheLog): Promise<Saved> {
  const keys = factKeys(restored.file);
  let cached = 0;
  for (const key of keys) if (restored.keys.has(key)) cached++;
  const parsed = keys.size - cached;
  const saved = { parsed, cached };
  const from = restored.matched ? ` (restored ${restored.matched})` : ' (nothing to restore)';
  log.info(`idse: ${parsed} docs parsed, ${cached} from the facts cache${from}`);
  if (parsed === 0) return { ...saved, key: undefined };
  const key = cacheKey(restored.os, keys);
  try {
    // An existing key (another job saved the same docs) is reported by the toolkit and returns -1.
    const id = await toolkit.saveCache(restored.paths, key);
    if (id === -1) return { ...saved, key: undefined };
    log.info(`idse: facts cache saved as ${key}`);
    return { ...saved, key };
  } catch (error) {
    log.warning(`idse: facts cache not saved: ${messageOf(error)}`);
    return { ...saved, key: undefined };
  }
}

const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
