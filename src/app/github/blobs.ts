import { type GitHub, type Repo, readBlob, type TreeEntry } from './github.ts';

/**
 * Blob contents by path, at most `concurrency` requests in flight: a push neither floods GitHub
 * nor holds more than a few responses in memory at once.
 */
export async function readBlobs(
  gh: GitHub,
  repo: Repo,
  entries: readonly TreeEntry[],
  concurrency: number,
): Promise<Map<string, Uint8Array>> {
  const contents = await mapLimit(entries, concurrency, (entry) => readBlob(gh, repo, entry.sha));
  return new Map(entries.map((entry, i) => [entry.path, contents[i]!]));
}

/**
 * `fn` over `items` with at most `limit` calls pending; results in input order. The first
 * rejection rejects the whole (the run fails and says why), and no new calls start after it.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker);
  await Promise.all(workers);
  return results;
}
