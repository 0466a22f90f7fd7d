/** What the store benchmarks share: running work a few at a time, percentiles, the server's version. */
import pg from 'pg';

/** The server the benchmarks make their throw-away databases on (--pg overrides it). */
export const BENCH_PG_URL = process.env.IDSE_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Runs `fn` over `items` with at most `width` calls in flight, in order of the items. */
export async function inParallel<T>(
  items: readonly T[],
  width: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await fn(item);
      }
    }),
  );
}

/** The p-th percentile (nearest rank) of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function queryVersion(connectionString: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString });
  await c.connect();
  try {
    return (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]?.v;
  } finally {
    await c.end();
  }
}
