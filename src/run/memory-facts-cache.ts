import { isIdseError } from '../errors.ts';
import type { FactsCache } from '../model/facts-key.ts';
import type { DocFacts } from '../pipeline/facts.ts';

/**
 * Facts of docs by content hash, kept in memory between webhook jobs and sync pushes (the App and
 * the gateway share one in `idse app`). Each push reloads whole sessions, most of whose docs did not
 * change since the last push: their facts are reused instead of parsing the markdown again. Least
 * recently used entries go first once `max` is reached.
 */
export class MemoryFactsCache implements FactsCache {
  private readonly entries = new Map<string, DocFacts>();
  private readonly max: number;

  constructor(max = 20_000) {
    this.max = max;
  }

  get(key: string): DocFacts | undefined {
    const facts = this.entries.get(key);
    if (facts) {
      // Re-inserting moves the key to the end of the Map's order: the most recently used.
      this.entries.delete(key);
      this.entries.set(key, facts);
    }
    return facts;
  }

  set(key: string, facts: DocFacts): void {
    this.entries.delete(key);
    this.entries.set(key, facts);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Where facts outlive the process and are shared by replicas (the App's store): many keys per call. */
export interface FactsTier {
  fetchFacts(keys: readonly string[]): Promise<Map<string, DocFacts>>;
  saveFacts(entries: ReadonlyMap<string, DocFacts>): Promise<number>;
  /** Texts of small files by git blob id (the App's data files, read whole at every run). */
  fetchBlobTexts(shas: readonly string[]): Promise<Map<string, string>>;
  saveBlobTexts(entries: ReadonlyMap<string, string>): Promise<number>;
}

/** How many of a run's docs had facts in memory, in the store, or in neither (so they are parsed). */
export interface FactsSources {
  memory: number;
  store: number;
  parsed: number;
}

/** A run's docs after `load`: where their facts came from, the facts found, and the keys neither layer had. */
export interface LoadedFacts {
  sources: FactsSources;
  /** Held for the run (see `pinned`): memory may let them go before the run reads them. */
  found: ReadonlyMap<string, DocFacts>;
  fresh: readonly string[];
}

/**
 * The memory cache over a shared tier. `check()` reads a synchronous cache, so a face loads the
 * facts of a run's docs before it (memory first, then one store call for the rest) and saves what
 * the run parsed after it (one call, not awaited). The store only speeds things up: an outage is a
 * warning and the docs are parsed, a failed write is a warning and the facts stay in memory.
 */
export class TieredFactsCache implements FactsCache {
  /** Where failures of the tier are told; the server sets its logger. */
  log: { warn(message: string): void } | undefined;
  private readonly memory: MemoryFactsCache;
  private readonly tier: FactsTier | undefined;
  private readonly writes = new Set<Promise<void>>();

  constructor(tier?: FactsTier, memory = new MemoryFactsCache()) {
    this.tier = tier;
    this.memory = memory;
  }

  get(key: string): DocFacts | undefined {
    return this.memory.get(key);
  }

  set(key: string, facts: DocFacts): void {
    this.memory.set(key, facts);
  }

  /** Brings the facts of `keys` that memory lacks from the tier, in one call. */
  async load(keys: readonly string[]): Promise<LoadedFacts> {
    const unique = [...new Set(keys)];
    const found = new Map<string, DocFacts>();
    for (const key of unique) {
      const facts = this.memory.get(key);
      if (facts) found.set(key, facts);
    }
    const missing = unique.filter((key) => !found.has(key));
    let stored = new Map<string, DocFacts>();
    if (this.tier && missing.length > 0) {
      try {
        stored = await this.tier.fetchFacts(missing);
      } catch (error) {
        this.log?.warn(`idse: facts store unreachable, parsing ${missing.length} docs: ${messageOf(error)}`);
      }
    }
    for (const [key, facts] of stored) {
      this.memory.set(key, facts);
      found.set(key, facts);
    }
    const fresh = missing.filter((key) => !stored.has(key));
    return {
      sources: { memory: unique.length - missing.length, store: stored.size, parsed: fresh.length },
      found,
      fresh,
    };
  }

  /**
   * This cache as one run reads it: the facts `load` found first. Memory is bounded and shared by
   * the runs in flight, so what a run loaded may be evicted before it reads it; a doc the run did
   * not download (the App's, its facts found) would then have no facts at all.
   */
  pinned(loaded: LoadedFacts): FactsCache {
    return {
      get: (key) => loaded.found.get(key) ?? this.get(key),
      set: (key, facts) => this.set(key, facts),
    };
  }

  /** Writes the facts the run parsed for keys neither layer had, in one call that nobody waits for. */
  save(loaded: LoadedFacts): void {
    if (!this.tier) return;
    const entries = new Map<string, DocFacts>();
    for (const key of loaded.fresh) {
      // Absent when the doc had a problem instead of facts (binary, past a limit): nothing to keep.
      const facts = this.memory.get(key);
      if (facts) entries.set(key, facts);
    }
    if (entries.size === 0) return;
    const tier = this.tier;
    this.track(() => tier.saveFacts(entries), `the facts of ${entries.size} docs`);
  }

  /**
   * The texts the tier has among these blob ids, in one call (nothing without a tier). Not kept in
   * memory: the files are small and few, and the call runs beside the facts load. An outage is a
   * warning: the files are downloaded.
   */
  async loadTexts(shas: readonly string[]): Promise<Map<string, string>> {
    if (!this.tier || shas.length === 0) return new Map();
    try {
      return await this.tier.fetchBlobTexts([...new Set(shas)]);
    } catch (error) {
      this.log?.warn(`idse: file store unreachable, downloading ${shas.length} files: ${messageOf(error)}`);
      return new Map();
    }
  }

  /** Writes texts by blob id, in one call that nobody waits for. */
  saveTexts(entries: ReadonlyMap<string, string>): void {
    const tier = this.tier;
    if (!tier || entries.size === 0) return;
    this.track(() => tier.saveBlobTexts(entries), `the texts of ${entries.size} files`);
  }

  /** Starts a write, warns when it fails, and keeps it until it ends (see `settled`). */
  private track(write: () => Promise<unknown>, what: string): void {
    const done = write().then(
      () => undefined,
      (error: unknown) => this.log?.warn(`idse: could not store ${what}: ${messageOf(error)}`),
    );
    this.writes.add(done);
    void done.finally(() => this.writes.delete(done));
  }

  /** Resolves once every write started so far has ended: before the store closes. */
  async settled(): Promise<void> {
    await Promise.all(this.writes);
  }
}

const messageOf = (error: unknown): string =>
  isIdseError(error) ? error.format() : error instanceof Error ? error.message : String(error);
