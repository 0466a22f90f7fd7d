/** Why a run could not validate, as a value the check run and the log both print. */
export type FailureCode =
  /** GitHub answered 5xx (or not at all) after every retry. */
  | 'github-unavailable'
  /** A rate limit that was not worth (or no longer) waiting for. */
  | 'github-rate-limited'
  /** 401/403/404: the App lacks a permission or the object is gone (a force-push raced us). */
  | 'github-refused'
  /** Anything else: a bug in idse. */
  | 'internal';

export interface Failure {
  code: FailureCode;
  /** One line a repository owner can act on. */
  message: string;
  /** `GET /repos/o/r/git/blobs/…` when a request failed. */
  request?: string;
  status?: number;
}

interface RequestErrorShape {
  status?: unknown;
  message?: unknown;
  request?: { method?: unknown; url?: unknown };
  response?: { headers?: Record<string, string | undefined> };
}

/** Turn whatever a GitHub call threw into a Failure, reading Octokit's RequestError when it is one. */
export function failureOf(error: unknown): Failure {
  const e = (error ?? {}) as RequestErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const method = typeof e.request?.method === 'string' ? e.request.method : undefined;
  const url = typeof e.request?.url === 'string' ? stripOrigin(e.request.url) : undefined;
  const request = method && url ? `${method} ${url}` : undefined;
  const detail = typeof e.message === 'string' ? firstLine(e.message) : String(error);
  const where = request ? ` (${request})` : '';
  if (status === undefined && !request) return { code: 'internal', message: `internal error: ${detail}` };
  const headers = e.response?.headers ?? {};
  const base = { ...(request ? { request } : {}), ...(status !== undefined ? { status } : {}) };
  if (
    (status === 403 || status === 429) &&
    (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'])
  ) {
    const reset = Number(headers['x-ratelimit-reset']);
    const when = reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
    return { code: 'github-rate-limited', message: `GitHub rate limit exhausted${when}${where}`, ...base };
  }
  if (status === 401 || status === 403 || status === 404 || status === 422) {
    return {
      code: 'github-refused',
      message: `GitHub refused a request with ${status}: ${detail}${where}`,
      ...base,
    };
  }
  const answer = status === undefined ? detail : `${status} ${detail}`;
  return {
    code: 'github-unavailable',
    message: `GitHub did not answer after retries: ${answer}${where}`,
    ...base,
  };
}

const stripOrigin = (url: string): string => {
  try {
    const parsed = new URL(url);
    return parsed.pathname.replace(/^\/api\/v3(?=\/)/, '') + parsed.search;
  } catch {
    return url;
  }
};

const firstLine = (text: string): string => text.split('\n')[0]!.slice(0, 300);
