import { join } from 'node:path';
import { IdseError, isIdseError } from '../../src/errors.ts';
import type { Report } from '../../src/report/schema.ts';
import { cacheFile } from '../../src/run/facts-cache.ts';
import { loadReport, resolveRoot } from '../../src/run/load.ts';
import { memoFile } from '../../src/run/run-memo.ts';
import { type CacheLog, type CacheToolkit, type Restored, restoreFacts, saveFacts } from './cache.ts';
import { type BaseChoice, resolveBase } from './event.ts';
import type { ActionInputs } from './inputs.ts';
import { rebaseReport } from './rebase.ts';

export interface Checked {
  /** Paths relative to the checkout, as GitHub wants them. */
  report: Report;
  /** Set with `changed-only`: what was compared against. */
  changed: BaseChoice | undefined;
}

/** The Actions cache service, and where its messages go. */
export interface CacheService {
  toolkit: CacheToolkit;
  log: CacheLog;
}

/**
 * Gathers input as the CLI does (src/run/load.ts) and runs the engine through check(), with the
 * facts of the last run restored from the Actions cache when the service is there.
 */
export async function check(
  inputs: ActionInputs,
  checkout: string,
  env: NodeJS.ProcessEnv,
  service: CacheService,
): Promise<Checked> {
  const changed = inputs.changedOnly ? resolveBase(inputs.base, env) : undefined;
  try {
    const options = { cwd: checkout, root: inputs.path, config: inputs.config, changedSince: changed?.base };
    const restored = inputs.cache ? await restore(options, env, service) : undefined;
    const { report } = await loadReport({
      ...options,
      // Without the cache service a hosted runner starts from an empty home, so a cache would only
      // cost the time to write it.
      cache: restored !== undefined,
      env: restored?.env ?? env,
    });
    service.log.debug(`idse: checked ${report.summary.files} files`);
    if (restored) await saveFacts(service.toolkit, restored.facts, service.log);
    return { report: rebaseReport(report, checkout), changed };
  } catch (error) {
    throw changed ? withCheckoutHint(error) : error;
  }
}

/**
 * The cache lives in RUNNER_TEMP, outside the checkout so it is never validated and gone after the
 * job; the facts file and the run's memos travel through the service, so a run after a one-doc
 * change re-checks one project and a re-run of a commit answers from the last report.
 */
async function restore(
  options: { cwd: string; root: string },
  env: NodeJS.ProcessEnv,
  { toolkit, log }: CacheService,
): Promise<{ env: NodeJS.ProcessEnv; facts: Restored } | undefined> {
  if (!env.RUNNER_TEMP) return undefined;
  const cacheEnv = { ...env, IDSE_CACHE_DIR: join(env.RUNNER_TEMP, 'idse-cache') };
  const root = resolveRoot(options);
  const facts = await restoreFacts(
    toolkit,
    [
      cacheFile(root, 'facts', 'bin', cacheEnv),
      memoFile('projects', root, cacheEnv),
      memoFile('run', root, cacheEnv),
    ],
    `${process.platform}-${process.arch}`,
    log,
  );
  return facts && { env: cacheEnv, facts };
}

/** actions/checkout fetches one commit by default, the usual reason a base commit is missing. */
function withCheckoutHint(error: unknown): unknown {
  if (!isIdseError(error) || error.code !== 'git-failed' || error.message.includes('fetch-depth'))
    return error;
  return new IdseError(
    'git-failed',
    `${error.message}; changed-only needs the base commit: use actions/checkout with fetch-depth: 0`,
  );
}
