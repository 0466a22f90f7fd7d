import type { Context } from 'probot';

/** What one validation covers: which files count as changed and which sessions to load. */
export type Scope =
  /** The whole tree at the head commit; `why` is said in the summary. */
  | { kind: 'full'; why: string }
  /** What a push changed since `base` (falling back to the whole tree when history was rewritten). */
  | { kind: 'push'; base: string }
  /** What a pull request changes; sessions it touches are loaded whole. */
  | { kind: 'pull'; number: number };

/**
 * A validation to run: plain data, so a durable queue can store it and any replica can run it
 * with a fresh installation client.
 */
export interface ValidationJob {
  installationId: number;
  /** GitHub's id of the repository: what the store keys repositories by. */
  repositoryId: number;
  owner: string;
  /**
   * The account that owns the repository, which is the installation's: lets the store record an
   * installation whose own webhook it never got (the App installed before the store was set up).
   */
  account?: { id: number; login: string; type?: string };
  repo: string;
  /** The repository's default branch, as the webhook says: the store takes sessions' state from it. */
  defaultBranch?: string;
  headSha: string;
  /** Branch the commit was pushed to, when known. */
  ref?: string;
  /** The head commit's own time, when the payload carries it: orders late deliveries correctly. */
  committedAt?: string;
  scope: Scope;
  /** Re-run of an existing check run: update it instead of creating one. */
  checkRunId?: number;
  /**
   * Set by a durable queue on a later attempt (1, 2, …): the check run an earlier attempt opened is
   * looked up by this job's delivery id and carried on, rather than a second one opened beside it.
   */
  attempt?: number;
  /** Deduplication key: the same key is not run twice (see JobQueue). */
  key: string;
  deliveryId: string;
  event: string;
}

export type Planned = { job: ValidationJob } | { skip: string };

export const CHECK_NAME = 'idse';
const ZERO_SHA = /^0+$/;

interface Common {
  installation?: { id: number } | null;
  repository: {
    id: number;
    name: string;
    full_name: string;
    default_branch?: string;
    owner: { login: string; id?: number; type?: string } | null;
  };
}

function base(payload: Common, deliveryId: string, event: string) {
  const installationId = payload.installation?.id;
  if (!installationId) return undefined;
  const owner = payload.repository.owner;
  return {
    installationId,
    repositoryId: payload.repository.id,
    owner: owner?.login ?? payload.repository.full_name.split('/')[0]!,
    ...(owner?.id !== undefined
      ? { account: { id: owner.id, login: owner.login, ...(owner.type ? { type: owner.type } : {}) } }
      : {}),
    repo: payload.repository.name,
    ...(payload.repository.default_branch ? { defaultBranch: payload.repository.default_branch } : {}),
    deliveryId,
    event,
  };
}

const NO_INSTALLATION = { skip: 'the event carries no installation; the App cannot act for it' };

/**
 * A push to any branch validates what it changed. Deleting a branch and pushing tags change no
 * docs anyone reviews, so they are skipped. The key is the commit, shared with `check_suite`
 * (GitHub sends both for one push) so the commit gets one check run.
 */
export function planPush(payload: Context<'push'>['payload'], deliveryId: string): Planned {
  if (payload.deleted) return { skip: `branch ${payload.ref} deleted` };
  if (payload.ref.startsWith('refs/tags/')) return { skip: `tag push ${payload.ref}` };
  const common = base(payload, deliveryId, 'push');
  if (!common) return NO_INSTALLATION;
  const scope: Scope = ZERO_SHA.test(payload.before)
    ? { kind: 'full', why: 'first push of this branch' }
    : payload.forced
      ? { kind: 'full', why: 'force-push: history was rewritten' }
      : { kind: 'push', base: payload.before };
  return {
    job: {
      ...common,
      headSha: payload.after,
      ref: payload.ref.replace(/^refs\/heads\//, ''),
      ...(payload.head_commit?.timestamp ? { committedAt: payload.head_commit.timestamp } : {}),
      scope,
      key: `commit:${payload.repository.id}:${payload.after}`,
    },
  };
}

/** A pull request opened, updated or reopened: judged on the files it changes. */
export function planPullRequest(payload: Context<'pull_request'>['payload'], deliveryId: string): Planned {
  const common = base(payload, deliveryId, `pull_request.${payload.action}`);
  if (!common) return NO_INSTALLATION;
  const pr = payload.pull_request;
  return {
    job: {
      ...common,
      headSha: pr.head.sha,
      ref: pr.head.ref,
      scope: { kind: 'pull', number: pr.number },
      key: `delivery:${deliveryId}`,
    },
  };
}

/**
 * GitHub asks for a check suite on every push (`requested`) and when someone clicks "Re-run all"
 * (`rerequested`). Both validate the whole tree: the suite carries no trustworthy change set.
 */
export function planCheckSuite(payload: Context<'check_suite'>['payload'], deliveryId: string): Planned {
  const common = base(payload, deliveryId, `check_suite.${payload.action}`);
  if (!common) return NO_INSTALLATION;
  const suite = payload.check_suite;
  const requested = payload.action === 'requested';
  return {
    job: {
      ...common,
      headSha: suite.head_sha,
      ...(suite.head_branch ? { ref: suite.head_branch } : {}),
      ...(suite.head_commit?.timestamp ? { committedAt: suite.head_commit.timestamp } : {}),
      scope: { kind: 'full', why: requested ? 'check suite requested' : 're-run requested' },
      key: requested ? `commit:${payload.repository.id}:${suite.head_sha}` : `delivery:${deliveryId}`,
    },
  };
}

/**
 * "Re-run" on our check run: the same run is updated. A run made for a pull request is judged on
 * the pull request again; any other validates the whole tree.
 */
export function planCheckRun(payload: Context<'check_run'>['payload'], deliveryId: string): Planned {
  const run = payload.check_run;
  if (run.name !== CHECK_NAME) return { skip: `check run "${run.name}" is not ours` };
  const common = base(payload, deliveryId, `check_run.${payload.action}`);
  if (!common) return NO_INSTALLATION;
  const pull = run.pull_requests.find((p) => p.head.sha === run.head_sha) ?? run.pull_requests[0];
  return {
    job: {
      ...common,
      headSha: run.head_sha,
      ...(run.check_suite?.head_branch ? { ref: run.check_suite.head_branch } : {}),
      scope: pull ? { kind: 'pull', number: pull.number } : { kind: 'full', why: 're-run requested' },
      checkRunId: run.id,
      key: `delivery:${deliveryId}`,
    },
  };
}
