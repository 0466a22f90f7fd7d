/**
 * The CLI's side of the sync gateway: one token per command run, then push and pull requests. Every
 * answer is parsed with the gateway's own schemas; a broken connection is `agency-unreachable` and an
 * error answer `agency-refused` carrying the gateway's code, so the CLI prints one coded line.
 */
import type { z } from 'zod';
import { SyncError } from './errors.ts';
import {
  ErrorResponseSchema,
  type PullQuery,
  type PullResponse,
  PullResponseSchema,
  type PushRequest,
  type PushResponse,
  PushResponseSchema,
  type TokenResponse,
  TokenResponseSchema,
} from './protocol.ts';

export interface AgencyClientOptions {
  /** Agency Core's base URL (the App's address). */
  url: string;
  key: string;
  /** Give up on a request after this long; default 2 minutes (a large first push validates ~1,000 docs). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class AgencyClient {
  private readonly base: URL;
  private readonly key: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private session: TokenResponse | undefined;
  /** Bytes of request bodies sent, for the push report and the benchmark. */
  bytesSent = 0;
  requests = 0;

  constructor(options: AgencyClientOptions) {
    this.base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    this.key = options.key;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Exchanges the API key for a token (once per client); `project` for keys that reach several. */
  async login(project: string | undefined): Promise<TokenResponse> {
    this.session ??= await this.request('POST', 'mcp/auth/token', TokenResponseSchema, {
      body: { key: this.key, ...(project ? { project } : {}) },
    });
    return this.session;
  }

  async push(body: PushRequest): Promise<PushResponse> {
    return this.request('POST', 'mcp/sync/push', PushResponseSchema, { body, token: this.token() });
  }

  async pull(query: PullQuery): Promise<PullResponse> {
    const search = new URLSearchParams({
      client_id: query.client_id,
      project: query.project,
      since: String(query.since),
      limit: String(query.limit),
    });
    return this.request('GET', `mcp/sync/pull?${search}`, PullResponseSchema, { token: this.token() });
  }

  private token(): string {
    if (!this.session) throw new Error('AgencyClient: login() first');
    return this.session.token;
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    options: { body?: unknown; token?: string },
  ): Promise<T> {
    const url = new URL(path, this.base);
    const text = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    this.requests += 1;
    this.bytesSent += text === undefined ? 0 : Buffer.byteLength(text);
    let response: Response;
    let answer: string;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        ...(text !== undefined ? { body: text } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      answer = await response.text();
    } catch (error) {
      throw new SyncError(
        'agency-unreachable',
        `could not reach Agency Core at ${this.base.origin} (${reason(error)}); nothing is lost, run the command again`,
      );
    }
    const json = parseJson(answer);
    if (!response.ok) {
      const error = ErrorResponseSchema.safeParse(json);
      const { code, message } = error.success
        ? error.data.error
        : { code: `http-${response.status}`, message: answer.slice(0, 200) || response.statusText };
      throw new SyncError(
        'agency-refused',
        `Agency Core refused ${method} /${path.split('?')[0]}: ${message} (${code})`,
        code,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SyncError(
        'agency-refused',
        `Agency Core answered ${method} /${path.split('?')[0]} with something this idse does not understand (is it the same version?)`,
      );
    }
    return parsed.data;
  }
}

/** The text as JSON, or undefined when it is not. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The most telling part of a fetch failure: undici hides the socket error in `cause`. */
export function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}
