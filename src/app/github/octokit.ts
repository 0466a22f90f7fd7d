import Bottleneck from 'bottleneck';
import { ProbotOctokit } from 'probot';

/** How the App's GitHub client rides out GitHub's bad moments. */
export interface GitHubClientOptions {
  /** Retries of a failed request (5xx, network); plugin-retry waits (n + 1)² × retryBaseMs before try n + 1. */
  retries?: number;
  retryBaseMs?: number;
  /** A rate limit that resets later than this is not waited for: the run fails and says so. */
  maxRateLimitWaitSeconds?: number;
}

export const DEFAULT_GITHUB_CLIENT: Required<GitHubClientOptions> = {
  retries: 3,
  retryBaseMs: 1000,
  maxRateLimitWaitSeconds: 120,
};

/** Rate-limit retries per request before the run gives up. */
const RATE_LIMIT_RETRIES = 2;

type Fetch = typeof globalThis.fetch;
const NORMALISED = Symbol('idse.retry-after');

/**
 * Probot's Octokit with the retry and throttling plugins it already carries, configured for a
 * webhook job: bounded retries of 5xx, rate limits waited out when the wait is reasonable, and
 * `retry-after` honoured. Pass it to Probot as `Octokit`; installation clients inherit it, and with
 * it this App's spacing of writes.
 */
export function idseOctokit(options: GitHubClientOptions = {}): typeof ProbotOctokit {
  const settings = { ...DEFAULT_GITHUB_CLIENT, ...options };
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      octokit: { log: { warn: (message: string) => unknown } },
      retryCount: number,
    ): boolean => {
      const retry = retryCount < RATE_LIMIT_RETRIES && retryAfter <= settings.maxRateLimitWaitSeconds;
      octokit.log.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${
          retry ? `retrying in ${retryAfter} s` : `giving up (retry after ${retryAfter} s)`
        }`,
      );
      return retry;
    };
  // GitHub asks for a second between writes; plugin-throttling spaces them per installation, but in
  // one limiter for the whole process, so an App started after another in the same process (an
  // in-process restart, the next test's App) would first wait out the other's writes, which a new
  // process never does. Each App spaces its own writes, with the plugin's settings.
  const write = new Bottleneck.Group({
    id: 'octokit-write',
    maxConcurrent: 1,
    minTime: 1000,
    timeout: 120_000,
  });
  // Probot applies its own defaults around this function, then this one overrides the parts we own.
  return ProbotOctokit.defaults((instance: Record<string, unknown> & OctokitShape) => ({
    ...instance,
    retry: { ...instance.retry, retries: settings.retries, retryAfterBaseValue: settings.retryBaseMs },
    throttle: {
      ...instance.throttle,
      write,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
    request: { ...instance.request, fetch: honourRetryAfter(instance.request?.fetch ?? globalThis.fetch) },
  }));
}

interface OctokitShape {
  retry?: Record<string, unknown>;
  throttle?: Record<string, unknown>;
  request?: { fetch?: Fetch } & Record<string, unknown>;
}

/**
 * GitHub asks clients to wait `retry-after` seconds when a 403/429 carries it. plugin-throttling
 * reads that header only for secondary limits; for a primary limit it waits until
 * `x-ratelimit-reset`, and without that header it retries at once. Restating `retry-after` as the
 * reset time (never earlier than GitHub's own) makes the plugin wait as GitHub asked.
 */
export function honourRetryAfter(fetchImpl: Fetch): Fetch {
  if ((fetchImpl as { [NORMALISED]?: true })[NORMALISED]) return fetchImpl;
  const wrapped: Fetch = async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.status !== 403 && response.status !== 429) return response;
    const after = Number(response.headers.get('retry-after'));
    if (!response.headers.has('retry-after') || !Number.isFinite(after) || after < 0) return response;
    const headers = new Headers(response.headers);
    const resetAt = Math.floor(Date.now() / 1000) + Math.ceil(after);
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (!(reset > resetAt)) headers.set('x-ratelimit-reset', String(resetAt));
    headers.set('x-ratelimit-remaining', '0');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  return Object.assign(wrapped, { [NORMALISED]: true as const });
}
