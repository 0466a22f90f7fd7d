/**
 * The sync gateway (docs/sync.md): the App's routes under /mcp through which CLIs exchange docs with
 * Agency Core without touching the database. One handler per route; this module only dispatches,
 * answers 503 when the App has no store, and turns failures into coded HTTP errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenIssuer } from '../auth/tokens.ts';
import { defaultConfig } from '../config/schema.ts';
import { FactsPool } from '../run/facts-pool.ts';
import { TieredFactsCache } from '../run/memory-facts-cache.ts';
import { HttpError, type HttpRoute } from '../server/http.ts';
import { isStoreError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import type { GatewayContext, GatewayLog } from './context.ts';
import { toHttpError } from './errors.ts';
import { pullPublished } from './pull.ts';
import { pushCommit } from './push.ts';
import { issueToken } from './token.ts';

export const GATEWAY_PREFIX = '/mcp';

type Handler = (req: IncomingMessage, res: ServerResponse, ctx: GatewayContext, url: URL) => Promise<void>;

const ROUTES = new Map<string, { method: string; handler: Handler }>([
  ['/mcp/auth/token', { method: 'POST', handler: issueToken }],
  ['/mcp/sync/push', { method: 'POST', handler: pushCommit }],
  ['/mcp/sync/pull', { method: 'GET', handler: pullPublished }],
]);

export interface SyncGatewayOptions {
  /** Without a store every route answers 503 `store-not-configured`. */
  store: Store | undefined;
  tokens: TokenIssuer;
  /** Lifetime of issued tokens; default 15 minutes. */
  tokenTtlSeconds?: number;
  /** Largest push request body; default 16 MiB (the CLI sends content in smaller batches). */
  maxPushBytes?: number;
  /** Parsing workers and facts cache, shared with the App's validations in `idse app`; by default the
   * gateway keeps its own, its facts over the store. */
  workers?: FactsPool;
  facts?: TieredFactsCache;
  log?: GatewayLog;
  now?: () => Date;
}

export interface SyncGateway extends HttpRoute {
  /** Where pushes are logged; `idse app` sets it to the App's logger. */
  log: GatewayLog | undefined;
  /** Starts the parsing workers ahead of the first large push (see FactsPool.warm). */
  warm(): Promise<void>;
  /** Stops the parsing workers the gateway started. */
  close(): Promise<void>;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
export const DEFAULT_MAX_PUSH_BYTES = 16 * 1024 * 1024;

export function createSyncGateway(options: SyncGatewayOptions): SyncGateway {
  const ownWorkers = options.workers ? undefined : new FactsPool();
  const engine = {
    workers: options.workers ?? ownWorkers!,
    facts: options.facts ?? new TieredFactsCache(options.store),
  };
  const gateway: SyncGateway = {
    prefix: GATEWAY_PREFIX,
    log: options.log,
    async handle(req, res, url) {
      const route = ROUTES.get(url.pathname);
      if (!route) throw new HttpError(404, 'not-found', `no gateway route ${url.pathname}`);
      if (req.method !== route.method) {
        res.setHeader('allow', route.method);
        throw new HttpError(405, 'method-not-allowed', `${url.pathname} takes ${route.method}`);
      }
      if (!options.store) {
        throw new HttpError(
          503,
          'store-not-configured',
          'this Agency Core has no store configured; sync is off',
        );
      }
      const ctx: GatewayContext = {
        store: options.store,
        tokens: options.tokens,
        tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
        maxPushBytes: options.maxPushBytes ?? DEFAULT_MAX_PUSH_BYTES,
        engine,
        log: gateway.log,
        now: options.now ?? (() => new Date()),
      };
      try {
        await route.handler(req, res, ctx, url);
      } catch (error) {
        if (isStoreError(error) && error.code === 'invalid-payload')
          gateway.log?.error(`idse: the store refused ${url.pathname}: ${error.message}`);
        throw toHttpError(error);
      }
    },
    warm: () => engine.workers.warm(defaultConfig()),
    close: async () => {
      await engine.facts.settled();
      await ownWorkers?.close();
    },
  };
  return gateway;
}
