/**
 * Where webhook work goes so the webhook can be acknowledged at once (GitHub waits 10 s at most).
 * The interface is what a durable queue (pg-boss / graphile-worker, arriving with the store) offers
 * too: a job key for idempotency, and a way to wait until everything queued is done.
 */
export interface JobQueue {
  /**
   * Schedules `run` unless a job with the same key is queued, running or finished recently.
   * Returns false for such a duplicate. A job that rejects is logged and its key forgotten, so a
   * redelivery of the same webhook runs it again.
   */
  add(key: string, run: () => Promise<void>): boolean;
  /** Resolves once nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void>;
}

export interface MemoryJobQueueOptions {
  /** Jobs run at once; each holds one repository's files in memory. */
  concurrency?: number;
  /** Keys of finished jobs remembered for deduplication. */
  remember?: number;
  onError?: (key: string, error: unknown) => void;
}

/**
 * In-process queue for a single replica with the embedded store. Jobs are lost if the process dies;
 * that is the gap the durable queue closes.
 */
export class MemoryJobQueue implements JobQueue {
  private readonly concurrency: number;
  private readonly remember: number;
  private readonly onError: (key: string, error: unknown) => void;
  private readonly seen = new Set<string>();
  private readonly waiting: Array<{ key: string; run: () => Promise<void> }> = [];
  private running = 0;
  private idlers: Array<() => void> = [];

  constructor(options: MemoryJobQueueOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.remember = Math.max(1, options.remember ?? 10_000);
    this.onError = options.onError ?? (() => {});
  }

  add(key: string, run: () => Promise<void>): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    // A Set iterates in insertion order: the first keys are the oldest.
    for (const old of this.seen) {
      if (this.seen.size <= this.remember) break;
      this.seen.delete(old);
    }
    this.waiting.push({ key, run });
    this.pump();
    return true;
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const job = this.waiting.shift();
      if (!job) break;
      this.running++;
      // Deferred a turn so add() returns (and the webhook is answered) before any work starts.
      setImmediate(() => {
        this.execute(job.key, job.run).finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) {
            for (const resolve of this.idlers.splice(0)) resolve();
          }
        });
      });
    }
  }

  private async execute(key: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.seen.delete(key);
      try {
        this.onError(key, error);
      } catch {
        // A failing logger must not take the queue down with it.
      }
    }
  }
}
