/**
 * How gateway failures answer: every error a caller can cause becomes an HttpError with a stable
 * code (docs/sync.md lists them); the rest stay errors the server logs and answers 500 `internal`.
 */
import type { z } from 'zod';
import { isAuthError } from '../auth/errors.ts';
import { isIdseError } from '../errors.ts';
import { authHttpError, HttpError, isHttpError } from '../server/http.ts';
import { isStoreError } from '../store/errors.ts';
import { describeIssues } from '../zod-issues.ts';

export function toHttpError(error: unknown): unknown {
  if (isHttpError(error)) return error;
  if (isAuthError(error)) return authHttpError(error);
  if (isStoreError(error)) {
    // Only what the client can act on is passed on; a store that misbehaves is the App log's business.
    if (error.code === 'store-unavailable') {
      return new HttpError(503, 'store-unavailable', 'the agency store is unavailable; retry later');
    }
    if (error.code === 'store-conflict') {
      return new HttpError(409, 'store-conflict', 'a concurrent write got in the way; retry the request');
    }
    // The store's own text (a database message) is the App log's, not the client's.
    if (error.code === 'invalid-payload')
      return new HttpError(400, 'invalid-request', 'the store refused the data of this request');
    return error;
  }
  if (isIdseError(error) && error.code === 'config-invalid') {
    return new HttpError(422, 'config-invalid', `the workspace config is invalid: ${error.format()}`);
  }
  return error;
}

/** The value as `schema` reads it, or a 400 `invalid-request` naming the first bad field. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new HttpError(400, 'invalid-request', `${what}: ${describeIssues(parsed.error)}`);
}
