/**
 * The admin store over HTTP: every operation of operations.ts as a POST to the App's admin API. Its
 * answers are read with the store's own schemas and its failures come back as the StoreErrors the
 * store would have thrown, so `idse agency …` prints the same either way.
 */

import { StoreError, type StoreErrorCode } from '../store/errors.ts';
import { parseJson, reason } from '../sync/client.ts';
import { ErrorResponseSchema } from '../sync/protocol.ts';
import { ADMIN_OPERATIONS, type AdminOperation, type AdminStore } from './operations.ts';
import { ADMIN_PREFIX } from './routes.ts';

export interface RemoteAdminOptions {
  /** The App's base URL. */
  url: string;
  /** An agency-wide admin key, or the App's local secret. */
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const STORE_CODES: ReadonlySet<string> = new Set<StoreErrorCode>([
  'store-unavailable',
  'store-conflict',
  'invalid-payload',
  'store-denied',
  'store-misconfigured',
  'migration-failed',
  'store-failed',
]);

export function remoteAdminStore(options: RemoteAdminOptions): AdminStore {
  const base = options.url.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const fetcher = options.fetch ?? globalThis.fetch;
  const call = async (operation: AdminOperation, argument: unknown): Promise<unknown> => {
    let response: Response;
    let text: string;
    try {
      response = await fetcher(`${base}${ADMIN_PREFIX}/${operation}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(argument === undefined ? {} : { argument }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
      });
      text = await response.text();
    } catch (error) {
      throw new StoreError('store-unavailable', `cannot reach idse app at ${origin} (${reason(error)})`);
    }
    const json = parseJson(text);
    if (!response.ok) throw failure(response.status, json, origin);
    const parsed = ADMIN_OPERATIONS[operation].safeParse((json as { result?: unknown } | undefined)?.result);
    if (!parsed.success) {
      throw new StoreError(
        'store-failed',
        `idse app at ${origin} answered ${operation} with something this idse does not read (is it the same version?)`,
      );
    }
    return parsed.data;
  };
  const store: Record<string, (argument?: unknown) => Promise<unknown>> = {};
  for (const operation of Object.keys(ADMIN_OPERATIONS) as AdminOperation[]) {
    store[operation] = (argument) => call(operation, argument);
  }
  return store as unknown as AdminStore;
}

/** An error answer as the StoreError it stands for. */
function failure(status: number, json: unknown, origin: string): StoreError {
  const answer = ErrorResponseSchema.safeParse(json);
  if (!answer.success) return new StoreError('store-failed', `idse app at ${origin} answered HTTP ${status}`);
  const { code, message } = answer.data.error;
  if (STORE_CODES.has(code)) return new StoreError(code as StoreErrorCode, message);
  if (status === 401 || status === 403) {
    return new StoreError(
      'store-denied',
      `idse app at ${origin} refused the admin credential: ${message} (${code})`,
    );
  }
  return new StoreError('store-failed', `idse app at ${origin}: ${message} (${code})`);
}
