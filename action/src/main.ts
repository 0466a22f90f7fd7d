// Entry of the GitHub Action (bundled into action/dist/index.js): read inputs, validate the docs,
// then report through every channel GitHub offers: log, annotations, job summary, SARIF, outputs.
import * as toolkit from '@actions/cache';
import * as core from '@actions/core';
import { isIdseError } from '../../src/errors.ts';
import { annotationsOf, hiddenNote } from './annotations.ts';
import { readInputs } from './inputs.ts';
import { printLog } from './log.ts';
import { setOutputs } from './outputs.ts';
import { check } from './run.ts';
import { writeSarif } from './sarif.ts';
import { changedNote, jobSummary } from './summary.ts';
import { verdict } from './verdict.ts';

/**
 * Exit codes follow the CLI's: 1 when findings fail the step (`core.setFailed` sets it), 2 when the
 * action could not check at all (bad input or config, missing path, git trouble). Both fail the step;
 * the code tells a wrapper script which kind of failure it was.
 */
const USAGE_EXIT_CODE = 2;

const ANNOTATE = { error: core.error, warning: core.warning, notice: core.notice };

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const checkout = env.GITHUB_WORKSPACE || process.cwd();
  const inputs = readInputs();
  const { report, changed } = await check(inputs, checkout, env, { toolkit, log: core });
  if (changed) core.info(`idse: ${changedNote(changed)}`);
  if (report.summary.files === 0) core.info(`idse: no IDSE docs found under ${inputs.path}`);
  printLog(report, inputs.format, checkout, env, inputs.failOn);

  const annotations = annotationsOf(report, checkout);
  for (const { kind, message, properties } of annotations) ANNOTATE[kind](message, properties);
  const hidden = hiddenNote(annotations);
  if (hidden) core.info(hidden);

  const sarifFile = inputs.sarifFile ? writeSarif(report, inputs.sarifFile, checkout) : undefined;
  if (sarifFile) core.info(`idse: SARIF written to ${sarifFile}`);
  // Outside a runner (a local try-out) there is no summary file; everything else still works.
  if (env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(jobSummary(report, { path: inputs.path, changed })).write();
  }
  setOutputs(report, sarifFile);

  const failure = verdict(report.summary, inputs.failOn);
  if (failure) core.setFailed(failure);
}

/** One line, never a stack trace: an IdseError says what to fix; anything else is a bug in idse. */
function fail(error: unknown): void {
  const message = isIdseError(error)
    ? error.format()
    : `internal error: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
  core.setFailed(`idse: ${message}`);
  if (!isIdseError(error) && error instanceof Error && error.stack) core.debug(error.stack);
  process.exitCode = USAGE_EXIT_CODE;
}

await main(process.env).catch(fail);
// Leaving on its own, Node would first free the run's heap (~200 MB with a restored cache) object by
// object, ~50 ms more of the step. Everything is written by now; exit once stdout has taken it all.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit();
