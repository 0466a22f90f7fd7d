import type { ValidationJob } from '../webhooks/events.ts';

export type RunJob = (job: ValidationJob) => Promise<void>;

/**
 * Where webhook work goes so the webhook can be acknowledged at once (GitHub waits 10 s at most).
 * Jobs are plain data (ValidationJob), so a durable queue can keep them and any replica can run them.
 */
export interface JobQueue {
  /** `memory`: lost when the process dies; `durable`: kept in the database until done. */
  readonly kind: 'memory' | 'durable';
  /** Begins handing queued jobs to `run`. Called once, before the first `add`. */
  start(run: RunJob): Promise<void>;
  /**
   * Queues the job unless one with the same key is queued, running or finished recently; false for
   * such a duplicate. A job that fails is retried (durable) or forgotten so a redelivery runs it (memory).
   */
  add(job: ValidationJob): Promise<boolean>;
  /** Resolves once every job this process added has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Stops taking jobs; waits for the running ones. */
  close(): Promise<void>;
}

export interface MemoryJobQueueOptions {
  /** Jobs run at once; each holds one repository's files in memory. */
  concurrency?: number;
  /** Keys of finished jobs remembered for deduplication. */
  remember?: number;
  onError?: (job: ValidationJob, error: unknown) => void;
}

/**
 * In-process queue, for the App without a store (one replica, nothing to keep jobs in). Jobs are lost
 * if the process dies; with a store the App uses the DurableJobQueue instead.
 */
export class MemoryJobQueue implements JobQueue {
  readonly kind = 'memory';
  private readonly concurrency: number;
  private readonly remember: number;
  private readonly onError: (job: ValidationJob, error: unknown) => void;
  private readonly seen = new Set<string>();
  private readonly waiting: ValidationJob[] = [];
  private run: RunJob | undefined;
  private running = 0;
  private idlers: Array<() => void> = [];

  constructor(options: MemoryJobQueueOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.remember = Math.max(1, options.remember ?? 10_000);
    this.onError = options.onError ?? (() => {});
  }

  async start(run: RunJob): Promise<void> {
    this.run = run;
    this.pump();
  }

  async add(job: ValidationJob): Promise<boolean> {
    if (this.seen.has(job.key)) return false;
    this.seen.add(job.key);
    // A Set iterates in insertion order: the first keys are the oldest.
    for (const old of this.seen) {
      if (this.seen.size <= this.remember) break;
      this.seen.delete(old);
    }
    this.waiting.push(job);
    this.pump();
    return true;
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  close(): Promise<void> {
    return this.idle();
  }

  private pump(): void {
    const run = this.run;
    if (!run) return;
    while (this.running < this.concurrency) {
      const job = this.waiting.shift();
      if (!job) break;
      this.running++;
      // Deferred a turn so add() returns (and the webhook is answered) before any work starts.
      setImmediate(() => {
        this.execute(run, job).finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) {
            for (const resolve of this.idlers.splice(0)) resolve();
          }
        });
      });
    }
  }

  private async execute(run: RunJob, job: ValidationJob): Promise<void> {
    try {
      await run(job);
    } catch (error) {
      this.seen.delete(job.key);
      try {
        this.onError(job, error);
      } catch {
        // A failing logger must not take the queue down with it.
      }
    }
  }
}
