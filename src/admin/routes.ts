/**
 * The App's admin API (`/admin/<operation>`): what `idse agency …` does to the store, done by the App
 * that holds it. With the embedded store only one process may open the data dir, so while `idse app`
 * runs the admin commands come here (docs/agency.md); any deployment can also be administered by
 * URL with an agency-wide admin key.
 *
 *   POST /admin/<operation>   body: {"argument": <the store method's one argument>} (or {})
 *   → 200 {"result": …} | {"error": {code, message}} with the store's own code
 *
 * Credentials: `Authorization: Bearer <key>`, an agency-wide admin key (one client's admin key reaches
 * that client only, and admin operations span clients, so it is refused), or the secret the App left
 * in its data dir for local commands (endpoint.ts).
 */
import type { IncomingMessage } from 'node:http';
import { authenticateKey } from '../auth/authenticate.ts';
import { isAuthError } from '../auth/errors.ts';
import { authHttpError, bearerToken, HttpError, type HttpRoute, readJson, sendJson } from '../server/http.ts';
import { storeHttpError } from '../server/store-errors.ts';
import type { Store } from '../store/store.ts';
import { isLocalToken } from './endpoint.ts';
import { type AdminStore, isAdminOperation } from './operations.ts';

export const ADMIN_PREFIX = '/admin';
/** Published docs are the largest argument: a doc of up to `maxFileBytes` as JSON text. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface AdminApiOptions {
  /** Undefined when the App runs without a store: every call answers 503 store-not-configured. */
  store: (AdminStore & Pick<Store, 'resolveApiKey'>) | undefined;
  /** The secret `idse agency …` on this machine presents (see endpoint.ts); none: keys only. */
  localToken?: string;
}

export function createAdminApi(options: AdminApiOptions): HttpRoute {
  return {
    prefix: ADMIN_PREFIX,
    async handle(req, res, url) {
      const operation = url.pathname.slice(ADMIN_PREFIX.length + 1);
      if (!isAdminOperation(operation))
        throw new HttpError(404, 'not-found', `no admin operation ${operation}`);
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new HttpError(405, 'method-not-allowed', `${url.pathname} takes POST`);
      }
      const { store } = options;
      if (!store)
        throw new HttpError(503, 'store-not-configured', 'this Agency Core has no store configured');
      await authorize(req, store, options.localToken);
      const body = await readJson(req, MAX_BODY_BYTES);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new HttpError(400, 'invalid-request', 'the body is {"argument": …}, the argument optional');
      }
      // The store method validates its argument itself (zod), exactly as when the CLI calls it.
      const method = store[operation] as (argument: unknown) => Promise<unknown>;
      try {
        sendJson(res, 200, { result: await method.call(store, (body as { argument?: unknown }).argument) });
      } catch (error) {
        // A store failure keeps its code and message: the CLI prints it as if it had opened the store itself.
        throw storeHttpError(error) ?? error;
      }
    },
  };
}

async function authorize(
  req: IncomingMessage,
  store: Pick<Store, 'resolveApiKey'>,
  localToken: string | undefined,
): Promise<void> {
  const presented = bearerToken(req);
  if (!presented) throw new HttpError(401, 'unauthenticated', 'the admin API needs an agency-wide admin key');
  if (localToken && isLocalToken(presented, localToken)) return;
  try {
    const record = await authenticateKey(store, presented, 'admin');
    if (record.client_id !== null) {
      throw new HttpError(403, 'forbidden', 'the admin API needs an agency-wide admin key, not one client’s');
    }
  } catch (error) {
    if (isAuthError(error)) throw authHttpError(error);
    throw error;
  }
}
