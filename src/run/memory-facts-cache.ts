import type { FactsCache } from '../model/build.ts';
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
