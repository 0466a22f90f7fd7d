import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IdseError } from '../../src/errors.ts';

/** What `changed-only` compares against, and where that came from (or why there is nothing). */
export interface BaseChoice {
  /** Undefined: nothing to compare with, so everything is validated. */
  base: string | undefined;
  reason: string;
}

const NO_COMMIT = /^0+$/;

const Sha = z.string().regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/);
const PullRequestEvent = z.object({ pull_request: z.object({ base: z.object({ sha: Sha }) }) });
const PushEvent = z.object({ before: Sha });
const MergeGroupEvent = z.object({ merge_group: z.object({ base_sha: Sha }) });

const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

/**
 * The `base` input when given; otherwise the commit the triggering event starts from: a pull
 * request's base, a push's `before`, a merge queue's base. A push that created the branch has an
 * all-zero `before`, and other events have no base at all: then everything is validated, which is
 * never wrong, only slower.
 */
export function resolveBase(input: string | undefined, env: NodeJS.ProcessEnv): BaseChoice {
  if (input) return { base: input, reason: 'the base input' };
  const name = env.GITHUB_EVENT_NAME ?? '';
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const everything = (reason: string): BaseChoice => ({ base: undefined, reason });
  if (payload === undefined) return everything('there is no event payload (GITHUB_EVENT_PATH)');
  if (PULL_REQUEST_EVENTS.has(name)) {
    const event = PullRequestEvent.safeParse(payload);
    if (event.success) {
      return { base: event.data.pull_request.base.sha, reason: "the pull request's base" };
    }
    return everything(`the ${name} payload has no pull_request.base.sha`);
  }
  if (name === 'push') {
    const event = PushEvent.safeParse(payload);
    if (!event.success) return everything('the push payload has no before SHA');
    const sha = event.data.before;
    if (NO_COMMIT.test(sha))
      return everything('the push created the branch, so there is no commit before it');
    return { base: sha, reason: 'the commit before the push' };
  }
  if (name === 'merge_group') {
    const event = MergeGroupEvent.safeParse(payload);
    if (event.success) {
      return { base: event.data.merge_group.base_sha, reason: "the merge group's base" };
    }
  }
  return everything(`a ${name || 'local'} run has no base commit (set the base input to give one)`);
}

function readPayload(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IdseError(
      'usage',
      `cannot read the event payload ${file}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}
