import type { GitHub, Repo } from '../github/github.ts';
import { CHECK_NAME } from '../webhooks/events.ts';
import { batches } from './annotations.ts';
import type { CheckOutput } from './output.ts';

const STARTED = {
  title: 'Validating pipeline docs…',
  summary: 'idse is reading the docs this change touches and will report here in a moment.',
};

/**
 * The `idse` check run an earlier attempt of this job opened on the commit (found by its external id,
 * the job's delivery id), if any.
 */
export async function findCheckRun(
  gh: GitHub,
  repo: Repo,
  target: { headSha: string; externalId: string },
): Promise<number | undefined> {
  const { data } = await gh.rest.checks.listForRef({
    ...repo,
    ref: target.headSha,
    check_name: CHECK_NAME,
    filter: 'all',
    per_page: 100,
  });
  return data.check_runs.find((run) => run.external_id === target.externalId)?.id;
}

/**
 * Opens the `idse` check run as `in_progress`, so the commit shows the check while docs are read.
 * A re-run (`existing`) puts that same run back in progress instead of creating another.
 */
export async function startCheckRun(
  gh: GitHub,
  repo: Repo,
  target: { headSha: string; existing?: number; externalId: string },
  now: Date,
): Promise<number> {
  const started_at = now.toISOString();
  if (target.existing !== undefined) {
    await gh.rest.checks.update({
      ...repo,
      check_run_id: target.existing,
      status: 'in_progress',
      started_at,
      external_id: target.externalId,
      output: STARTED,
    });
    return target.existing;
  }
  const { data } = await gh.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: target.headSha,
    status: 'in_progress',
    started_at,
    external_id: target.externalId,
    output: STARTED,
  });
  return data.id;
}

/**
 * Completes the run: conclusion, title, summary and the first 50 annotations in one update, then
 * one update per further 50 (the Checks API appends them). Writes: ⌈annotations / 50⌉, at least 1.
 */
export async function completeCheckRun(
  gh: GitHub,
  repo: Repo,
  checkRunId: number,
  output: CheckOutput,
  now: Date,
): Promise<{ writes: number }> {
  const [first = [], ...rest] = batches(output.annotations);
  const text = { title: output.title, summary: output.summary };
  await gh.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: output.conclusion,
    completed_at: now.toISOString(),
    output: { ...text, ...(first.length ? { annotations: first } : {}) },
  });
  for (const annotations of rest) {
    await gh.rest.checks.update({ ...repo, check_run_id: checkRunId, output: { ...text, annotations } });
  }
  return { writes: 1 + rest.length };
}
