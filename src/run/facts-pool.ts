import { availableParallelism } from 'node:os';
import v8, { deserialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.ts';
import {
  type DocInput,
  type FactsCache,
  type FactsResolver,
  type FactsSettings,
  factsSettingsOf,
  isProblem,
  tooComplex,
} from '../model/facts-key.ts';
import type { FileProblem } from '../model/model.ts';
import type { DocFacts } from '../pipeline/facts.ts';
import type { LimitBreach } from '../pipeline/limits.ts';
import type { FactsJob, FactsMessage } from './facts-worker.ts';
import { Slabs } from './slabs.ts';
import { workerScript } from './worker-script.ts';

const BATCH = 32;

/**
 * The parser and extraction, for docs parsed on this thread: loaded by the first prefetch, so a pool
 * started while the walk goes on (EarlyFacts) has its workers parse before this thread loads them.
 */
const onThisThread = () => import('../model/build.ts');

/** Heap of one worker. A doc whose parse needs more is reported too complex, and the worker replaced. */
export const WORKER_HEAP_MB = 256;

/**
 * Young generation of one worker. V8 sizes it from the heap cap, which gives a 256 MB worker tiny
 * semi-spaces: a doc's syntax tree outlives the scavenges during its own parse and is promoted, so
 * the old generation filled with dead trees until its first full collection. A parse's garbage now
 * dies young.
 */
const WORKER_YOUNG_MB = 32;

/**
 * V8 starts a young generation small and grows it as it fills, unless the process stops that (the CLI
 * does, for its main thread's sake): isolates created from here on start with theirs at full size,
 * two semi-spaces and a large-object space of the same size.
 */
const fullYoungGeneration = (): void =>
  v8.setFlagsFromString(`--min-semi-space-size=${Math.floor(WORKER_YOUNG_MB / 3)}`);

/**
 * Workers made from here on optimise hot code on their own thread (the flag is read when an isolate
 * is made: the main thread keeps compiling in the background). Compiled on V8's shared background
 * threads, the parser's optimising compiles left each of those threads a malloc arena of a few MB
 * (8,000 docs: ~16 MB more at the peak), and on a machine whose every core parses a background
 * compile only takes a core from a worker anyway.
 */
const compileOnWorkerThreads = (): void => v8.setFlagsFromString('--no-concurrent-recompilation');

/**
 * Parsing on this thread makes garbage that must die young, as in a worker: its young generation
 * grows again if the process had stopped that (V8's default factor). Without it a small CLI run
 * promoted every syntax tree: 270 docs took 25% more CPU.
 */
const growingYoungGeneration = (): void => v8.setFlagsFromString('--semi-space-growth-factor=2');

/**
 * Where a prefetch keeps the facts bytes the workers send: copied out of the buffer each doc's came
 * in, which is freed at once and its memory reused by the worker's next docs. Kept where the workers
 * allocated them, the bytes stayed in the workers' malloc arenas after the engine had decoded them
 * (glibc keeps freed chunks): a run held its facts twice over, as bytes and as objects, ~70 MB of
 * bytes at 24,000 docs. A slab goes back to the system when the last doc in it is decoded (see
 * Slabs.release), or lives as long as a cache keeps its bytes.
 */
const factsSlabs = (): Slabs => new Slabs((bytes) => new ArrayBuffer(bytes));

/** Facts by content key: v8-serialised as a worker sent them, or a reason there are none. */
type Result = Array<[string, Uint8Array | FileProblem]>;

/** What one worker did with a job: every doc, or the docs before the one that ran out of time or memory. */
interface Outcome {
  results: Result;
  stuck?: { index: number; breach: LimitBreach };
}

interface Task {
  job: FactsJob;
  /** Where the facts bytes a worker sends are kept (see factsSlabs). */
  slabs: Slabs;
  results: Result;
  /** Index of the doc being parsed: the one announced last, else the first not answered yet. */
  current: number;
  timer?: NodeJS.Timeout;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

export interface FactsPoolOptions {
  /** Workers at most; one per core by default. */
  size?: number;
  /**
   * A command's pool: when fewer docs than this need parsing, the ones the limits scan finds small
   * are parsed on the calling thread (starting a worker costs loading the parser). Servers leave it
   * unset, and then every doc is parsed by a worker: their event loop never parses.
   */
  inlineBelow?: number;
  /** Heap of each worker, in MB; WORKER_HEAP_MB by default. */
  heapMb?: number;
}

/**
 * Markdown parsing is the one CPU-heavy step and docs are independent, so misses are parsed by worker
 * threads, one per core. Each doc has a time budget (`limits.parseMs`) and each worker a heap
 * (WORKER_HEAP_MB): a doc past either is reported as too complex (IDSE028), its worker terminated
 * and replaced, and the rest of the batch parsed by another. A server keeps its pool (workers stay
 * warm, the event loop stays free for webhooks); a CLI run makes one for the run. Workers start on
 * first use and do not keep the process alive.
 */
export class FactsPool {
  private readonly size: number;
  private readonly inlineBelow: number | undefined;
  private readonly heapMb: number;
  private readonly url: URL | undefined;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly waiting: Task[] = [];
  /** Workers dead or terminated; the count of live ones (`started`) drops once for each. */
  private readonly retired = new WeakSet<Worker>();
  private started = 0;
  private closed = false;
  /** Facts of docs begun before a prefetch asked for them (see begin), by key, until one does. */
  private readonly ahead = new Map<string, Promise<Map<string, Uint8Array | FileProblem>>>();
  private readonly aheadSlabs = factsSlabs();

  constructor(options: FactsPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.inlineBelow = options.inlineBelow;
    this.heapMb = options.heapMb ?? WORKER_HEAP_MB;
    this.url = workerScript('facts-worker', import.meta.url);
    fullYoungGeneration();
    compileOnWorkerThreads();
    if (!this.url && this.inlineBelow === undefined) throw new Error('the facts worker script is missing');
  }

  /** Facts for `docs`: cache hits as they are, misses parsed (see the class); a resolver the engine reads. */
  async prefetch(
    docs: readonly DocInput[],
    config: Config,
    cache: FactsCache | undefined,
  ): Promise<FactsResolver> {
    if (this.closed && this.inlineBelow === undefined) throw new Error('the facts pool is closed');
    const { cachedFacts, extractWithin, screenDoc } = await onThisThread();
    const settings = factsSettingsOf(config);
    const fallback = cachedFacts(config, cache);
    const seen = new Set<string>();
    const slabs = factsSlabs();
    const begun: Array<Promise<[string, Uint8Array | FileProblem]>> = [];
    const misses = docs.filter((d) => {
      if (cache?.get(d.key) || seen.has(d.key)) return false;
      seen.add(d.key);
      const early = this.claim(d.key, slabs);
      if (early) begun.push(early);
      return !early;
    });
    const here =
      this.inlineBelow !== undefined && (misses.length < this.inlineBelow || !this.url || this.closed);
    if (here && misses.length > 0) growingYoungGeneration();
    const computed = new Map<string, DocFacts | Uint8Array | FileProblem>();
    const toWorkers: DocInput[] = [];
    for (const doc of misses) {
      if (!here) {
        toWorkers.push(doc);
        continue;
      }
      const screened = screenDoc(doc, settings);
      if (!('text' in screened)) computed.set(doc.key, screened);
      else if (screened.small || !this.url || this.closed)
        computed.set(doc.key, extractWithin(doc, screened.text, settings));
      else toWorkers.push(doc);
    }
    const [parsed, early] = await Promise.all([this.parse(toWorkers, settings, slabs), Promise.all(begun)]);
    for (const [key, facts] of [...early, ...parsed]) computed.set(key, facts);
    // A cache that stores bytes keeps them; otherwise a slab is freed once its last doc is decoded.
    const keptBytes = cache?.setEncoded !== undefined;
    // Decoded once, when first needed: until then the run holds bytes, not objects.
    const decode = (key: string, bytes: Uint8Array): DocFacts => {
      const facts = deserialize(bytes) as DocFacts;
      computed.set(key, facts);
      if (!keptBytes) slabs.release(bytes);
      return facts;
    };
    for (const [key, facts] of computed) {
      if (!(facts instanceof Uint8Array)) {
        if (!isProblem(facts)) cache?.set(key, facts);
      } else if (cache?.setEncoded) cache.setEncoded(key, facts);
      else cache?.set(key, decode(key, facts));
    }
    return (doc) => {
      const facts = computed.get(doc.key);
      return facts instanceof Uint8Array ? decode(doc.key, facts) : (facts ?? fallback(doc));
    };
  }

  /**
   * Starts parsing `docs` before a prefetch asks for them (a cold run's docs, as the walk reads
   * them): a prefetch takes their facts instead of parsing them again. A doc begun already is not
   * begun twice.
   */
  begin(docs: readonly DocInput[], settings: FactsSettings): void {
    // Without a worker script a prefetch parses them on its own thread, as it would any doc.
    if (!this.url || this.closed) return;
    const fresh = docs.filter((d) => !this.ahead.has(d.key));
    if (fresh.length === 0) return;
    const parsing = this.parse(fresh, settings, this.aheadSlabs).then((results) => new Map(results));
    // Its failure comes with the prefetch that takes its docs.
    parsing.catch(() => undefined);
    for (const { key } of fresh) this.ahead.set(key, parsing);
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A begun doc's facts, moved into `slabs` (a prefetch's) once parsed: taken once, so the pool keeps
   * no bytes after. Undefined for a doc not begun.
   */
  private claim(key: string, slabs: Slabs): Promise<[string, Uint8Array | FileProblem]> | undefined {
    const parsing = this.ahead.get(key);
    if (!parsing) return undefined;
    this.ahead.delete(key);
    return parsing.then((results) => {
      const facts = results.get(key)!;
      if (!(facts instanceof Uint8Array)) return [key, facts];
      const moved = slabs.copy(facts);
      this.aheadSlabs.release(facts);
      return [key, moved];
    });
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
    const settings = factsSettingsOf(config);
    await Promise.all(
      Array.from({ length: this.size }, (_, i) =>
        this.run({ settings, docs: [{ path: `warm-${i}.md`, key: `warm-${i}`, bytes }] }, factsSlabs()),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new Error('the facts pool is closed'));
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  /** Facts of `docs` from the workers, in batches, their bytes kept in `slabs`. */
  private async parse(docs: DocInput[], settings: FactsSettings, slabs: Slabs): Promise<Result> {
    const batches: DocInput[][] = [];
    for (let i = 0; i < docs.length; i += BATCH) batches.push(docs.slice(i, i + BATCH));
    return (await Promise.all(batches.map((batch) => this.run({ settings, docs: batch }, slabs)))).flat();
  }

  /** A batch's facts; a doc that runs out of time or memory gets its finding, and the rest go on. */
  private async run(job: FactsJob, slabs: Slabs): Promise<Result> {
    const results: Result = [];
    let docs = job.docs;
    while (docs.length > 0) {
      const outcome = await this.runOnce({ ...job, docs }, slabs);
      results.push(...outcome.results);
      if (!outcome.stuck) break;
      const doc = docs[outcome.stuck.index]!;
      results.push([doc.key, tooComplex(doc, outcome.stuck.breach)]);
      docs = docs.slice(outcome.stuck.index + 1);
    }
    return results;
  }

  private runOnce(job: FactsJob, slabs: Slabs): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, slabs, results: [], current: 0, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.closed) {
      const worker = this.idle.pop() ?? (this.started < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const task = this.waiting.shift()!;
      this.busy.set(worker, task);
      worker.postMessage(task.job);
    }
  }

  private spawn(): Worker {
    this.started++;
    const worker = new Worker(this.url!, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    worker.unref();
    worker.on('message', (message: FactsMessage) => {
      const task = this.busy.get(worker);
      if (!task) return;
      if (message.type === 'start') {
        task.current = message.index;
        const budget = task.job.settings.limits.parseMs;
        task.timer = setTimeout(
          () => this.stop(worker, { limit: 'parseMs', actual: budget, max: budget }),
          budget,
        );
        return;
      }
      clearTimeout(task.timer);
      if (message.type === 'failed') {
        this.finish(worker, true);
        const path = task.job.docs[message.index]?.path;
        task.reject(new Error(`extracting facts from ${path} failed: ${message.message}`));
        return;
      }
      for (const [index, facts] of message.results)
        task.results.push([
          task.job.docs[index]!.key,
          facts instanceof Uint8Array ? task.slabs.copy(facts) : facts,
        ]);
      // Until the next doc is announced, the one to blame is the first without an answer.
      task.current = message.results.at(-1)![0] + 1;
      if (task.current < task.job.docs.length) return;
      this.finish(worker, true);
      task.resolve({ results: task.results });
    });
    // A worker that dies in a doc's parse ran out of heap on it: that doc is too complex. Any other
    // death fails its task (the run reports an internal error); either way it is replaced on demand.
    worker.on('error', (error: Error & { code?: string }) => {
      const task = this.busy.get(worker);
      if (task && error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.stop(worker, { limit: 'memory', actual: this.heapMb, max: this.heapMb });
        return;
      }
      this.finish(worker, false);
      task?.reject(error);
    });
    worker.on('exit', (code) => {
      const task = this.busy.get(worker);
      this.finish(worker, false);
      task?.reject(new Error(`facts worker exited with ${code}`));
    });
    return worker;
  }

  /** The worker's doc ran out of time or memory: report it, stop the worker, go on with the rest. */
  private stop(worker: Worker, breach: LimitBreach): void {
    const task = this.busy.get(worker);
    if (!task) return;
    clearTimeout(task.timer);
    this.finish(worker, false);
    void worker.terminate();
    task.resolve({ results: task.results, stuck: { index: task.current, breach } });
  }

  /** Frees the worker from its task: back to idle, or retired (a replacement starts on demand). */
  private finish(worker: Worker, reusable: boolean): void {
    this.busy.delete(worker);
    if (reusable && !this.closed) this.idle.push(worker);
    else if (!this.retired.has(worker)) {
      this.retired.add(worker);
      this.started--;
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    }
    this.dispatch();
  }
}

/** A command's pool parses docs the limits scan finds small on its own thread below this many to parse. */
export const INLINE_BELOW = 300;

/**
 * A CLI run's facts: a pool for this run only. Starting a worker costs loading the parser, so docs
 * the limits scan finds small are parsed here until there are a few hundred to parse; larger docs
 * always go to a worker, which enforces the time budget.
 */
export async function prefetchFacts(
  docs: readonly DocInput[],
  config: Config,
  cache: FactsCache | undefined,
): Promise<FactsResolver> {
  const pool = new FactsPool({ inlineBelow: INLINE_BELOW });
  try {
    return await pool.prefetch(docs, config, cache);
  } finally {
    await pool.close();
  }
}
