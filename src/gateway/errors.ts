/**
 * How gateway failures answer: every error a caller can cause becomes an HttpError with a stable
 * code (docs/sync.md lists them); the rest stay errors the server logs and answers 500 `internal`.
 */
import type { z } from 'zod';
import { isAuthError } from '../auth/errors.ts';
import { isIdseError } from '../errors.ts';
import { authHttpError, HttpError, isHttpError } from '../server/http.ts';
import { type StoreErrorWording, storeHttpError } from '../server/store-errors.ts';
import { isStoreError } from '../store/errors.ts';
import { describeIssues } from '../zod-issues.ts';

/**
 * Only what the client can act on is passed on, in the gateway's words: a store that misbehaves (or
 * denies the App itself) is the App log's business, and so is the store's own text.
 */
const STORE_WORDING: StoreErrorWording = {
  'store-unavailable': { message: 'the agency store is unavailable; retry later' },
  'store-conflict': { message: 'a concurrent write got in the way; retry the request' },
  'invalid-payload': { code: 'invalid-request', message: 'the store refused the data of this request' },
};

export function toHttpError(error: unknown): unknown {
  if (isHttpError(error)) return error;
  if (isAuthError(error)) return authHttpError(error);
  if (isStoreError(error)) return storeHttpError(error, STORE_WORDING) ?? error;
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
