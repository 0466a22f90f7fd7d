import type { Config } from '../config/schema.ts';
import { type DocInput, type FactsSettings, factsKeyOf, factsSettingsOf } from '../model/facts-key.ts';
import type { SourceFile } from '../model/source.ts';
import { FactsPool, INLINE_BELOW } from './facts-pool.ts';
import type { Taker } from './sources/fs.ts';

/**
 * Docs begun while the walk goes on, at most: each keeps its bytes until the run ends, where a doc
 * named by its id alone is read again when its batch is parsed.
 */
const EARLY_DOCS = 2_000;

/**
 * Jobs waiting for a worker, at most: enough to keep every worker busy between the walk's turns of
 * the event loop, few enough that the walk does not read the workspace into memory ahead of them.
 */
const EARLY_QUEUE = 4;

/** Docs handed to the pool at once (a job each, see FactsPool's batches). */
const HAND_OVER = 32;

/**
 * A cold run's first docs, parsed while the walk reads the rest. Walking a workspace is a third or
 * more of a cold run's first second on one core, with the workers not started and the other cores
 * idle; here the walk keeps the docs it reaches whole (see Taker) and hands them to a pool as it
 * goes, and the run's prefetches take their facts from it. A walk that meets fewer docs than a
 * command would parse on its own thread (INLINE_BELOW) starts no worker: its docs are parsed as
 * before, from the bytes kept.
 */
export class EarlyFacts implements Taker {
  /** A command's pool: were its worker script missing, docs would be parsed on this thread instead. */
  private readonly pool = new FactsPool({ inlineBelow: 0 });
  private readonly settings: FactsSettings;
  private held: DocInput[] = [];
  private begun = 0;

  constructor(config: Config) {
    this.settings = factsSettingsOf(config);
  }

  wants(): boolean {
    return this.begun + this.held.length < EARLY_DOCS && this.pool.queued < EARLY_QUEUE;
  }

  take(file: SourceFile & { content: Uint8Array; oid: string }): void {
    this.held.push({ path: file.path, key: factsKeyOf(file, this.settings), bytes: file.content });
    if (this.held.length >= HAND_OVER && this.begun + this.held.length >= INLINE_BELOW) this.handOver();
  }

  /**
   * The walk is over: the pool the run's prefetches should use, with the docs held so far begun,
   * or none (closed) if there were too few docs to start workers for.
   */
  async finish(): Promise<FactsPool | undefined> {
    if (this.begun === 0) {
      await this.close();
      return undefined;
    }
    this.handOver();
    return this.pool;
  }

  /** Stops the workers: the run failed before it could use them. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private handOver(): void {
    this.pool.begin(this.held, this.settings);
    this.begun += this.held.length;
    this.held = [];
  }
}
