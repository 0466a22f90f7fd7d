/**
 * The one mapping of store failures to HTTP. A failure has the same status on every route (sync
 * gateway, dashboard, admin API); a route only chooses which failures it passes on and in what
 * words, since the store's own text (a database message) is the App log's and not every caller's.
 * What is not passed on stays an error: the server logs it and answers 500 `internal`.
 */
import { isStoreError, type StoreErrorCode } from '../store/errors.ts';
import { HttpError } from './http.ts';

/** The store failures a caller can act on; the others (misconfigured, migration-failed, failed) are the server's. */
const STATUS: Partial<Record<StoreErrorCode, number>> = {
  'invalid-payload': 400,
  'store-denied': 403,
  'store-conflict': 409,
  'store-unavailable': 503,
};

/** A route's words for the failures it passes on: its own code and message, or the store's. */
export type StoreErrorWording = Partial<Record<StoreErrorCode, { code?: string; message?: string }>>;

/**
 * The HttpError a store failure answers with, or undefined when `error` is none the route passes on.
 * Without `wording` every failure a caller can act on is passed on with the store's code and message.
 */
export function storeHttpError(error: unknown, wording?: StoreErrorWording): HttpError | undefined {
  if (!isStoreError(error)) return undefined;
  const status = STATUS[error.code];
  const said = wording ? wording[error.code] : {};
  if (status === undefined || said === undefined) return undefined;
  return new HttpError(status, said.code ?? error.code, said.message ?? error.message);
}
