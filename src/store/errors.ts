import { IdseError } from '../errors.ts';

/**
 * Store failures as values with stable codes. Backends never let a driver error escape: whatever pg,
 * PGlite or supabase-js throws is turned into a StoreError here, keeping the database's own message
 * (our SQL functions word theirs for people) and the SQLSTATE, but not the driver's stack.
 */
export type StoreErrorCode =
  /** The database can't be reached or is shutting down; retry later (queue the job in the outbox). */
  | 'store-unavailable'
  /** A concurrent or inconsistent write (unique/foreign key, serialization, deadlock); retrying may help. */
  | 'store-conflict'
  /** The input is malformed; nothing was written and retrying the same input won't help. */
  | 'invalid-payload'
  /** The credentials lack the right (wrong key, expired token, role without grant). */
  | 'store-denied'
  /** The environment names no usable backend (e.g. SUPABASE_URL without a key). */
  | 'store-misconfigured'
  /** A migration failed (rolled back) or an applied migration was edited afterwards. */
  | 'migration-failed'
  /** Anything else: a bug or a schema that doesn't match this version (run the migrations). */
  | 'store-failed';

/** A store failure is an IdseError like any other, so every face prints it as one coded line. */
export class StoreError extends IdseError {
  override readonly code: StoreErrorCode;
  /** SQLSTATE or PostgREST/driver code of the underlying failure, for logs. */
  readonly detail: string | undefined;

  constructor(code: StoreErrorCode, message: string, detail?: string) {
    super(code, message);
    this.name = 'StoreError';
    this.code = code;
    this.detail = detail;
  }

  /** Worth retrying the same call later. */
  get retryable(): boolean {
    return this.code === 'store-unavailable' || this.code === 'store-conflict';
  }
}

export const isStoreError = (value: unknown): value is StoreError => value instanceof StoreError;

/** Node socket errors that mean "no database there right now". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** SQLSTATE (or PostgREST PGRST…) code → our code. */
export function codeForState(state: string): StoreErrorCode {
  if (state.startsWith('PGRST')) return codeForPostgrest(state);
  if (state === '42501' || state.startsWith('28')) return 'store-denied';
  if (state === '40001' || state === '40P01' || state.startsWith('23')) return 'store-conflict';
  if (state.startsWith('22')) return 'invalid-payload';
  if (
    state.startsWith('08') ||
    state.startsWith('53') ||
    state === '57P01' ||
    state === '57P02' ||
    state === '57P03' ||
    state === '57014'
  ) {
    return 'store-unavailable';
  }
  return 'store-failed';
}

/** https://docs.postgrest.org/en/stable/references/errors.html */
function codeForPostgrest(code: string): StoreErrorCode {
  // PGRST000–003: PostgREST could not reach or use its database connection pool.
  if (/^PGRST00[0-3]$/.test(code)) return 'store-unavailable';
  // PGRST300s: JWT missing, invalid or expired.
  if (code.startsWith('PGRST3')) return 'store-denied';
  if (code === 'PGRST102') return 'invalid-payload';
  return 'store-failed';
}

interface ErrorLike {
  code?: unknown;
  /** HTTP status, from the Supabase backend. */
  status?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
}

/**
 * Any thrown value → StoreError. `action` says what was being done ("record validation"), so the
 * message reads "record validation: installation 7 is not recorded …".
 */
export function toStoreError(error: unknown, action: string): StoreError {
  if (error instanceof StoreError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const message =
    typeof e.message === 'string' && e.message !== ''
      ? e.message
      : // A thrown object without a message: its name says more than "[object Object]".
        typeof e.name === 'string' && e.name !== ''
        ? e.name
        : String(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const causeCode =
    typeof (e.cause as ErrorLike | undefined)?.code === 'string' ? (e.cause as ErrorLike).code : '';
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(String(causeCode)) || isConnectionLoss(message)) {
    return new StoreError(
      'store-unavailable',
      `${action}: store unavailable (${message})`,
      code || undefined,
    );
  }
  if (/^[0-9A-Z]{5}$/.test(code) || code.startsWith('PGRST')) {
    return new StoreError(codeForState(code), `${action}: ${message}`, code);
  }
  // An HTTP answer without a SQLSTATE: the gateway or PostgREST itself answered.
  if (typeof e.status === 'number' && e.status >= 500) {
    return new StoreError('store-unavailable', `${action}: store unavailable (HTTP ${e.status}: ${message})`);
  }
  if (e.status === 401 || e.status === 403) {
    return new StoreError('store-denied', `${action}: ${message} (HTTP ${e.status})`);
  }
  return new StoreError('store-failed', `${action}: ${message}`, code || undefined);
}

/** Driver messages for a lost or impossible connection, which carry no code. */
function isConnectionLoss(message: string): boolean {
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed|fetch failed|Cannot use a pool after calling end|Client was closed/i.test(
    message,
  );
}
