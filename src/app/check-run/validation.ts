import type { Logger } from 'probot';
import { hasWorkspace, selectFiles, touchedBy, touchesNothing } from '../../config/select.ts';
import type { Diagnostic } from '../../diagnostics.ts';
import { isIdseError } from '../../errors.ts';
import type { Report } from '../../report/schema.ts';
import { check } from '../../run/check.ts';
import type { FactsPool } from '../../run/facts-pool.ts';
import type { FactsSources, TieredFactsCache } from '../../run/memory-facts-cache.ts';
import {
  sessionStatesOf,
  type ValidatedDoc,
  type ValidatedSession,
  validatedDocs,
} from '../../store/mirror-rows.ts';
import { type Change, changeOf, short } from '../github/changes.ts';
import { readDesign, readRepoConfig } from '../github/config.ts';
import {
  docFactsKeys,
  downloadedTexts,
  type ReadLimits,
  readFiles,
  storedContents,
  unreadDocs,
  wholeFiles,
} from '../github/files.ts';
import { type GitHub, type Repo, readTree } from '../github/github.ts';
import { overlapNote, overlappingPulls } from '../github/overlap.ts';
import type { ClientStore } from '../mirror/store.ts';
import type { ValidationJob } from '../webhooks/events.ts';
import { completeCheckRun, findCheckRun, startCheckRun } from './check-run.ts';
import { type Failure, failureOf } from './failure.ts';
import {
  type CheckOutput,
  configInvalidOutput,
  failedOutput,
  noDocsOutput,
  nothingChangedOutput,
  validatedOutput,
} from './output.ts';

/** Requests in flight per job (blobs, pull-request file lists) and when to read a tarball instead. */
export type RunLimits = ReadLimits;

export interface RunDeps {
  gh: GitHub;
  log: Logger;
  store: ClientStore;
  facts: TieredFactsCache;
  workers: FactsPool;
  limits: RunLimits;
  now: () => Date;
}

/** A run GitHub kept from finishing; the job queue forgets it so a redelivered webhook runs it again. */
export class RunFailed extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.name = 'RunFailed';
    this.failure = failure;
  }
}

/**
 * One validation, start to end: open the check run, read what the event touched at the head commit,
 * run the engine, complete the check run, tell the store. Whatever fails is reported on the check
 * run when GitHub lets us write it, and logged in one line either way.
 */
export async function runValidation(job: ValidationJob, deps: RunDeps): Promise<void> {
  const { gh, log } = deps;
  const repo: Repo = { owner: job.owner, repo: job.repo };
  const at = `${job.owner}/${job.repo}@${short(job.headSha)}`;
  const started = performance.now();
  let checkRunId: number;
  try {
    const target = { headSha: job.headSha, externalId: job.deliveryId };
    const existing = job.checkRunId ?? (job.attempt ? await findCheckRun(gh, repo, target) : undefined);
    checkRunId = await startCheckRun(
      gh,
      repo,
      { ...target, ...(existing !== undefined ? { existing } : {}) },
      deps.now(),
    );
  } catch (error) {
    const failure = failureOf(error);
    log.error(
      { failure },
      `idse: could not open the check run for ${at}: ${failure.message} [${failure.code}]`,
    );
    throw new RunFailed(failure);
  }

  let output: CheckOutput;
  let validated: Validated | undefined;
  let failure: Failure | undefined;
  /** From the job's start to its result, before the completing write (which GitHub's write spacing may hold). */
  let readyMs = 0;
  try {
    ({ output, validated } = await validateCommit(job, repo, deps));
    readyMs = Math.round(performance.now() - started);
  } catch (error) {
    if (isIdseError(error) && error.code === 'config-invalid') {
      log.info(`idse: invalid config at ${at}: ${error.format()}`);
      output = configInvalidOutput(error);
    } else {
      failure = failureOf(error);
      const stack = failure.code === 'internal' ? { err: error } : {};
      log.error(
        { failure, ...stack },
        `idse: could not validate ${at}: ${failure.message} [${failure.code}]`,
      );
      output = failedOutput(failure);
    }
  }

  try {
    const { writes } = await completeCheckRun(gh, repo, checkRunId, output, deps.now());
    log.info(
      {
        checkRunId,
        conclusion: output.conclusion,
        annotations: output.annotations.length,
        writes,
        ...(validated
          ? {
              files: validated.report.summary.files,
              timings: { ...validated.timings, readyMs },
              facts: validated.facts,
            }
          : {}),
      },
      `idse: ${at} ${output.conclusion}: ${output.title}`,
    );
  } catch (error) {
    const writeFailure = failureOf(error);
    log.error(
      { failure: writeFailure },
      `idse: could not complete check run ${checkRunId} for ${at}: ${writeFailure.message} [${writeFailure.code}]`,
    );
    throw new RunFailed(writeFailure);
  }

  try {
    await deps.store.recordValidation({
      installationId: job.installationId,
      ...(job.account ? { account: job.account } : {}),
      repository: `${job.owner}/${job.repo}`,
      ...(job.defaultBranch ? { defaultBranch: job.defaultBranch } : {}),
      headSha: job.headSha,
      ...(job.ref ? { ref: job.ref } : {}),
      ...(job.scope.kind === 'pull' ? { pullRequest: job.scope.number } : {}),
      checkRunId,
      conclusion: output.conclusion,
      errors: count(validated?.scoped, 'error'),
      warnings: count(validated?.scoped, 'warning'),
      infos: count(validated?.scoped, 'info'),
      sessions: validated?.report.summary.sessions ?? 0,
      files: validated?.report.summary.files ?? 0,
      deliveryId: job.deliveryId,
      completedAt: deps.now().toISOString(),
      ...(job.committedAt ? { committedAt: job.committedAt } : {}),
      repositoryId: job.repositoryId,
      ...(validated ? { artifacts: validated.artifacts, sessionStates: validated.sessionStates } : {}),
    });
  } catch (error) {
    // The check is reported whatever the store says. Until the durable outbox arrives, a mirror write
    // that fails here is lost; a redelivery of the webhook (or the next push) writes it again.
    const code = isIdseError(error) ? error.code : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    log.error(`idse: store could not record the validation of ${at}: ${message} [${code}]`);
  }
  if (failure) throw new RunFailed(failure);
}

/** What the engine said: the report of the touched sessions and the findings the run is judged on. */
interface Validated {
  report: Report;
  scoped: readonly Diagnostic[];
  /** Milliseconds spent reading from GitHub, loading facts (before any doc is read), in the engine (parse, rules, report). */
  timings: { readMs: number; factsMs: number; engineMs: number };
  /** Where the docs' facts came from: memory, the store, or parsing. */
  facts: FactsSources;
  /** What the store mirrors: each validated doc and each session row of the report. */
  artifacts: ValidatedDoc[];
  sessionStates: ValidatedSession[];
}

const count = (diagnostics: readonly Diagnostic[] | undefined, severity: Diagnostic['severity']): number =>
  diagnostics?.filter((d) => d.severity === severity).length ?? 0;

async function validateCommit(
  job: ValidationJob,
  repo: Repo,
  deps: RunDeps,
): Promise<{ output: CheckOutput; validated?: Validated }> {
  const { gh } = deps;
  const started = performance.now();
  const tree = await readTree(gh, repo, job.headSha);
  const { config } = await readRepoConfig(gh, repo, tree);
  if (!hasWorkspace(tree, config)) return { output: noDocsOutput(job.headSha, config.ignore.length > 0) };

  const change = await changeOf(gh, repo, job.scope, job.headSha, tree);
  const touched = change.loadAll ? 'all' : touchedBy(change.paths ?? []);
  if (touched !== 'all' && touchesNothing(touched)) return { output: nothingChangedOutput(change.why) };

  const entries = selectFiles(tree, config, touched);
  // Facts first, by the tree's blob ids: a doc whose facts memory or the store has is not downloaded.
  const keys = docFactsKeys(entries, config);
  // And the files read whole (session data, governance docs): the store's texts by blob id, beside.
  const whole = wholeFiles(entries, keys, config.maxFileBytes);
  const readDocs = async () => {
    const loading = performance.now();
    const [loaded, texts] = await Promise.all([
      deps.facts.load([...keys.values()]),
      deps.facts.loadTexts(whole.map((e) => e.sha)),
    ]);
    const factsMs = performance.now() - loading;
    const known = storedContents(whole, texts);
    const files = await readFiles(gh, repo, { sha: job.headSha, tree }, entries, {
      ...deps.limits,
      maxFileBytes: config.maxFileBytes,
      log: deps.log,
      unread: unreadDocs(entries, keys, loaded.found),
      known,
    });
    deps.facts.saveTexts(downloadedTexts(whole, files, known));
    return { loaded, factsMs, files };
  };
  const [{ loaded, factsMs, files }, { design, note: designNote }, overlap] = await Promise.all([
    readDocs(),
    readDesign(gh, repo, tree, config),
    job.scope.kind === 'pull'
      ? overlappingPulls(
          gh,
          repo,
          job.scope.number,
          touchedBy(change.paths ?? []).sessions,
          deps.limits.concurrency,
        )
      : undefined,
  ]);

  const read = performance.now();
  const {
    workspace,
    diagnostics: scoped,
    report,
  } = await check(
    { files, config, design, changed: change.paths },
    {
      label: `${job.owner}/${job.repo}@${job.headSha}`,
      facts: deps.facts.pinned(loaded),
      workers: deps.workers,
      wholeSessions: true,
    },
  );
  // Stored while the check run is written; a failed write is only a warning (TieredFactsCache).
  deps.facts.save(loaded);
  const notes = [scopeNote(job, change), overlap && overlapNote(overlap), designNote].filter(
    (n): n is string => typeof n === 'string',
  );
  const output = validatedOutput({ report, scoped, notes });
  const timings = {
    readMs: Math.round(read - started - factsMs),
    factsMs: Math.round(factsMs),
    engineMs: Math.round(performance.now() - read),
  };
  const artifacts = validatedDocs(workspace, tree, report.diagnostics);
  const sessionStates = sessionStatesOf(report);
  return { output, validated: { report, scoped, timings, facts: loaded.sources, artifacts, sessionStates } };
}

/** One sentence on what this run looked at, so a reader knows why a finding is or is not here. */
function scopeNote(job: ValidationJob, change: Change): string {
  const sha = `\`${short(job.headSha)}\``;
  if (!change.paths) return `Validated every session at ${sha} (${change.why}).`;
  const whole = change.loadAll
    ? `every session was loaded: ${change.why}`
    : 'the table shows each touched session whole';
  if (job.scope.kind === 'pull') {
    return `Pull request #${job.scope.number} at ${sha}: findings and annotations cover the files it changes; ${whole}.`;
  }
  return `Validated what changed at ${sha} (${change.why}): findings cover the changed files; ${whole}.`;
}
