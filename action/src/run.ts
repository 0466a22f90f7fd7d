import { IdseError, isIdseError } from '../../src/errors.ts';
import type { Report } from '../../src/report/schema.ts';
import { loadReport } from '../../src/run/load.ts';
import { type BaseChoice, resolveBase } from './event.ts';
import type { ActionInputs } from './inputs.ts';
import { rebaseReport } from './rebase.ts';

export interface Checked {
  /** Paths relative to the checkout, as GitHub wants them. */
  report: Report;
  /** Set with `changed-only`: what was compared against. */
  changed: BaseChoice | undefined;
}

/** Gathers input as the CLI does (src/run/load.ts) and runs the engine through check(). */
export async function check(
  inputs: ActionInputs,
  checkout: string,
  env: NodeJS.ProcessEnv,
): Promise<Checked> {
  const changed = inputs.changedOnly ? resolveBase(inputs.base, env) : undefined;
  try {
    const { report } = await loadReport({
      cwd: checkout,
      root: inputs.path,
      config: inputs.config,
      // Hosted runners start from an empty home, so caches would only cost the time to write them.
      cache: false,
      changedSince: changed?.base,
      env,
    });
    return { report: rebaseReport(report, checkout), changed };
  } catch (error) {
    throw changed ? withCheckoutHint(error) : error;
  }
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
