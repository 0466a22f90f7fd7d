import type { TokenIssuer } from '../auth/tokens.ts';
import type { FactsPool } from '../run/facts-pool.ts';
import type { TieredFactsCache } from '../run/memory-facts-cache.ts';
import type { Store } from '../store/store.ts';

/** What every gateway handler works with. */
export interface GatewayContext {
  store: Store;
  tokens: TokenIssuer;
  tokenTtlSeconds: number;
  /** Largest push request body accepted, in bytes. */
  maxPushBytes: number;
  engine: { workers: FactsPool; facts: TieredFactsCache };
  log: GatewayLog | undefined;
  now: () => Date;
}

export interface GatewayLog {
  info(message: string): void;
  error(message: string): void;
}
