/**
 * Plain node:http helpers for the App's routes beside the webhook (sync gateway, dashboard): a route
 * is a path prefix and a handler; bodies are read with a size limit; failures answer as JSON with a
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
 * as its length is known, without reading the rest.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (limit: number) =>
  new HttpError(413, 'payload-too-large', `the request body is larger than ${limit} bytes`);

/** The body as JSON; invalid UTF-8 or JSON is a 400 with its own code. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'invalid-utf8', 'the request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `the request body is not JSON: ${(error as Error).message}`);
  }
}

/** The bearer token of the Authorization header, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
