import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.ts';
import type { DocFacts } from '../pipeline/facts.ts';
import {
  cachedFacts,
  type DocInput,
  extractOptionsOf,
  type FactsCache,
  type FactsResolver,
  isProblem,
} from './build.ts';
import type { FactsJob } from './facts-worker.ts';
import type { FileProblem } from './model.ts';

/** Below this many docs to parse, starting workers (each loads the parser) costs more than it saves. */
const MIN_DOCS_FOR_WORKERS = 300;
const BATCH = 48;

/**
 * Facts for many docs at once: cache hits as they are, misses parsed by a pool of worker threads,
 * one per core. Returns a resolver the (synchronous, pure) engine then reads from.
 */
export async function prefetchFacts(
  docs: readonly DocInput[],
  config: Config,
  cache: FactsCache | undefined,
  threads = availableParallelism(),
): Promise<FactsResolver> {
  const fallback = cachedFacts(config, cache);
  const seen = new Set<string>();
  const misses = docs.filter((d) => !cache?.get(d.key) && !seen.has(d.key) && seen.add(d.key));
  const workerUrl = findWorker();
  if (threads < 2 || misses.length < MIN_DOCS_FOR_WORKERS || !workerUrl) return fallback;

  const computed = new Map<string, DocFacts | FileProblem>();
  const job = { options: extractOptionsOf(config), maxBytes: config.maxFileBytes };
  const batches: DocInput[][] = [];
  for (let i = 0; i < misses.length; i += BATCH) batches.push(misses.slice(i, i + BATCH));
  const workers = Array.from({ length: Math.min(threads, batches.length) }, () => new Worker(workerUrl));
  try {
    await Promise.all(workers.map((worker) => drain(worker, batches, job, computed)));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  for (const [key, facts] of computed) if (!isProblem(facts)) cache?.set(key, facts);
  return (doc) => computed.get(doc.key) ?? fallback(doc);
}

/** One worker takes batches off the shared queue until it is empty. */
async function drain(
  worker: Worker,
  queue: DocInput[][],
  job: Omit<FactsJob, 'docs'>,
  out: Map<string, DocFacts | FileProblem>,
): Promise<void> {
  for (let docs = queue.shift(); docs; docs = queue.shift()) {
    const results = await new Promise<[string, DocFacts | FileProblem][]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ ...job, docs } satisfies FactsJob);
    });
    worker.removeAllListeners('error');
    for (const [key, facts] of results) out.set(key, facts);
  }
}

/**
 * The worker script sits beside this module in the source tree and at the top of dist/ in the
 * bundle. When neither is found (an unusual bundling), the run simply stays on one thread.
 */
function findWorker(): URL | undefined {
  return [
    new URL('./facts-worker.ts', import.meta.url),
    new URL('./facts-worker.js', import.meta.url),
    new URL('../facts-worker.js', import.meta.url),
  ].find((url) => url.protocol === 'file:' && existsSync(url));
}
