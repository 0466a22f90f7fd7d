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
import { workerScript } from './worker-script.ts';

const BATCH = 32;

type Result = Array<[string, DocFacts | FileProblem]>;
interface Task {
  job: FactsJob;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Markdown parsing is the one CPU-heavy step and docs are independent, so misses are parsed by worker
 * threads, one per core. A server keeps its pool (workers stay warm, the event loop stays free for
 * webhooks); a CLI run makes one for the run. Workers start on first use and do not keep the
 * process alive.
 */
export class FactsPool {
  private readonly size: number;
  /** Below this many docs to parse, handing them to workers costs more than parsing them here. */
  private readonly minDocs: number;
  private readonly url: URL | undefined;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly waiting: Task[] = [];
  private started = 0;
  private closed = false;

  constructor(options: { size?: number; minDocs?: number } = {}) {
    this.size = Math.max(0, options.size ?? availableParallelism());
    this.minDocs = options.minDocs ?? 32;
    this.url = workerScript('facts-worker', import.meta.url);
  }

  /** Facts for `docs`: cache hits as they are, misses parsed by the workers; a resolver the engine reads. */
  async prefetch(
    docs: readonly DocInput[],
    config: Config,
    cache: FactsCache | undefined,
  ): Promise<FactsResolver> {
    const fallback = cachedFacts(config, cache);
    const seen = new Set<string>();
    const misses = docs.filter((d) => !cache?.get(d.key) && !seen.has(d.key) && seen.add(d.key));
    if (this.closed || !this.url || this.size < 1 || misses.length < this.minDocs) return fallback;
    const base = { options: extractOptionsOf(config), maxBytes: config.maxFileBytes };
    const batches: DocInput[][] = [];
    for (let i = 0; i < misses.length; i += BATCH) batches.push(misses.slice(i, i + BATCH));
    const results = await Promise.all(batches.map((batch) => this.run({ ...base, docs: batch })));
    const computed = new Map<string, DocFacts | FileProblem>(results.flat());
    for (const [key, facts] of computed) if (!isProblem(facts)) cache?.set(key, facts);
    return (doc) => computed.get(doc.key) ?? fallback(doc);
  }

  /**
   * Starts every worker and has each parse a small doc, so the first large push does not pay for
   * loading the parser and compiling it hot. Costs the workers' memory from the start.
   */
  async warm(config: Config): Promise<void> {
    if (this.closed || !this.url) return;
    const text =
      '# Warm-up\n\n## Goal\n\n- [ ] Task 1.1 – parse (Owner: idse) FR-1\n\n| a | b |\n| - | - |\n| 1 | 2 |\n';
    const bytes = new TextEncoder().encode(text);
    const job = { options: extractOptionsOf(config), maxBytes: config.maxFileBytes };
    await Promise.all(
      Array.from({ length: this.size }, (_, i) =>
        this.run({ ...job, docs: [{ path: `warm-${i}.md`, key: `warm-${i}`, bytes }] }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private run(job: FactsJob): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const task = this.waiting.shift()!;
      this.busy.set(worker, task);
      worker.postMessage(task.job);
    }
  }

  private spawn(): Worker {
    this.started++;
    const worker = new Worker(this.url!);
    worker.unref();
    worker.on('message', (result: Result) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      task?.resolve(result);
      if (!this.closed) this.idle.push(worker);
      this.dispatch();
    });
    // A dead worker fails its task (the run reports an internal error) and is replaced on demand.
    const retire = (error: unknown) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      this.started--;
      task?.reject(error);
      this.dispatch();
    };
    worker.on('error', retire);
    worker.on('exit', (code) => {
      if (this.busy.has(worker) || this.idle.includes(worker))
        retire(new Error(`facts worker exited with ${code}`));
    });
    return worker;
  }
}

/**
 * A CLI run's facts: a pool for this run only. Starting a worker costs loading the parser, so it
 * pays only from a few hundred docs on.
 */
export async function prefetchFacts(
  docs: readonly DocInput[],
  config: Config,
  cache: FactsCache | undefined,
): Promise<FactsResolver> {
  const pool = new FactsPool({ minDocs: 300 });
  try {
    return await pool.prefetch(docs, config, cache);
  } finally {
    await pool.close();
  }
}
