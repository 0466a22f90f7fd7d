/**
 * Plain node:http helpers shared by every route the App's server carries beside the webhook (sync
 * gateway, dashboard, admin API), kept out of the App so those routes need nothing of it: a route is
 * a path prefix and a handler; bodies are read with a size limit; failures answer as JSON with a
 * stable code, never a stack.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthError } from '../auth/errors.ts';

export interface HttpRoute {
  /** Handles `prefix` itself and everything under `prefix/`. */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void;
}

/** A failure a route answers with: HTTP status, stable code, message for people. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

export const isHttpError = (value: unknown): value is HttpError => value instanceof HttpError;

/** A credential failure as every HTTP face answers it: 403 for `forbidden`, else 401, with its code. */
export const authHttpError = (error: AuthError, message = error.message): HttpError =>
  new HttpError(error.code === 'forbidden' ? 403 : 401, error.code, message);

export function matchRoute(routes: readonly HttpRoute[], pathname: string): HttpRoute | undefined {
  return routes.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    })
    .end(text);
}

/** `{ error: { code, message } }`, the one error shape every route answers with. */
export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } });
}

/**
 * The request body, at most `limit` bytes: a larger one is refused (413 `payload-too-large`) as soon
 * as its length is known, without reading the rest. Only what is kept is buffered, so no body costs
 * more memory than its limit; the server closes the connection of a refused one.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early must not destroy the request: the 413 still has to be sent on its socket.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    // The rest is not read: the caller answers 413 and closes the connection.
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (limit: number) =>
  new HttpError(413, 'payload-too-large', `the request body is larger than ${limit} bytes`);

/** The body as JSON; invalid UTF-8, JSON or Unicode text is a 400 with its own code. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'invalid-utf8', 'the request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `the request body is not JSON: ${(error as Error).message}`);
  }
  if (!wellFormed(value))
    throw new HttpError(
      400,
      'invalid-unicode',
      'the request body has text that is not valid Unicode (an unpaired surrogate escape)',
    );
  return value;
}

/**
 * Whether every string in a parsed JSON value is well-formed Unicode. JSON may escape half a
 * surrogate pair (`"\ud800"`); such text can be neither a file name nor a database value, and
 * reaching the database it came back as a 400 carrying Postgres' own message.
 */
function wellFormed(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (!item.isWellFormed()) return false;
    } else if (Array.isArray(item)) {
      for (const child of item) stack.push(child);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (!key.isWellFormed()) return false;
        stack.push(child);
      }
    }
  }
  return true;
}

/** The bearer token of the Authorization header, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
