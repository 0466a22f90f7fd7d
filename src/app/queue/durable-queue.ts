/**
 * The App's durable job queue: pg-boss, in the store's own database. On Postgres (or Supabase with
 * its database URL) any number of App replicas share it: a job is fetched by one worker
 * (SKIP LOCKED), retried with backoff when it fails, and kept until done, so a crash or restart loses
 * nothing. On the embedded store it runs on the same PGlite (pg-boss's PGlite adapter), so one
 * process's queue survives restarts too.
 */
import { createHash } from 'node:crypto';
import { fromPglite, PgBoss } from 'pg-boss';
import type { JobDatabase } from '../../store/store.ts';
import type { ValidationJob } from '../webhooks/events.ts';
import type { JobQueue, RunJob } from './jobs.ts';

export interface DurableJobQueueOptions {
  /** Jobs this process runs at once. */
  concurrency?: number;
  /** Retries after a failed run, with exponential backoff from `retryDelaySeconds`. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How often idle workers look for jobs (LISTEN/NOTIFY wakes them sooner on Postgres). */
  pollSeconds?: number;
  /**
   * A running job's worker refreshes it every half of this (at least 10); one not refreshed for this
   * long (its process died) is retried at the next supervision pass, every `superviseSeconds`.
   */
  heartbeatSeconds?: number;
  superviseSeconds?: number;
  onError?: (message: string, error: unknown) => void;
}

export const VALIDATION_QUEUE = 'idse-validation';
const SETTLED = new Set(['completed', 'failed', 'cancelled']);

export class DurableJobQueue implements JobQueue {
  readonly kind = 'durable';
  private readonly boss: PgBoss;
  private readonly options: Required<Omit<DurableJobQueueOptions, 'onError'>>;
  private readonly onError: (message: string, error: unknown) => void;
  /** Ids of jobs this process added and has not seen finish: what `idle()` waits for. */
  private readonly pending = new Set<string>();
  private started = false;

  constructor(database: JobDatabase, options: DurableJobQueueOptions = {}) {
    this.options = {
      concurrency: options.concurrency ?? 4,
      retryLimit: options.retryLimit ?? 3,
      retryDelaySeconds: options.retryDelaySeconds ?? 10,
      pollSeconds: options.pollSeconds ?? 2,
      heartbeatSeconds: options.heartbeatSeconds ?? 30,
      superviseSeconds: options.superviseSeconds ?? 15,
    };
    this.onError = options.onError ?? (() => {});
    this.boss =
      database.kind === 'pglite'
        ? new PgBoss({
            db: fromPglite(database.db),
            backend: 'pglite',
            schedule: false,
            ...this.supervision(),
          })
        : new PgBoss({
            connectionString: database.connectionString,
            schedule: false,
            max: 4,
            ...this.supervision(),
          });
    // pg-boss reports its own failures (a database gone for a while) as events; unhandled, an
    // 'error' event would end the process.
    this.boss.on('error', (error) => this.onError('job queue error', error));
  }

  /** pg-boss looks for expired and silent jobs when both its supervise and monitor timers are due. */
  private supervision() {
    const seconds = this.options.superviseSeconds;
    return { superviseIntervalSeconds: seconds, monitorIntervalSeconds: seconds };
  }

  async start(run: RunJob): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.boss.start();
    const settings = {
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: true,
      // LISTEN/NOTIFY wakes an idle worker as soon as a job is saved, instead of at its next poll.
      notify: true,
      // A validation of a 1,000-doc push takes seconds; one still running after 15 minutes is stuck
      // (its worker alive but hung). A worker that died is noticed sooner, by its missing heartbeat.
      expireInSeconds: 15 * 60,
      heartbeatSeconds: this.options.heartbeatSeconds,
    };
    await this.boss.createQueue(VALIDATION_QUEUE, settings);
    // createQueue leaves an existing queue as it was: bring one made by an earlier version up to date.
    await this.boss.updateQueue(VALIDATION_QUEUE, settings);
    // One worker fetches up to `concurrency` jobs at once and runs them side by side; a full batch
    // means more are waiting, so it fetches again at once instead of waiting for its next poll.
    await this.boss.work<ValidationJob>(
      VALIDATION_QUEUE,
      {
        batchSize: this.options.concurrency,
        burstWhenBatchFull: true,
        perJobResults: true,
        pollingIntervalSeconds: this.options.pollSeconds,
      },
      async (jobs) => {
        const outcomes = await Promise.allSettled(
          jobs.map((job) => run(job.retryCount > 0 ? { ...job.data, attempt: job.retryCount } : job.data)),
        );
        return jobs.map((job, i) => {
          const outcome = outcomes[i]!;
          if (outcome.status === 'fulfilled') return { id: job.id, status: 'completed' as const };
          // Failed jobs are retried with backoff until retryLimit.
          return {
            id: job.id,
            status: 'failed' as const,
            output: { message: String((outcome.reason as Error)?.message ?? outcome.reason) },
          };
        });
      },
    );
  }

  async add(job: ValidationJob): Promise<boolean> {
    // The job's id comes from its key: a second send of the same key is refused by the database
    // itself, whichever replica sends it, for as long as pg-boss keeps the first.
    const id = await this.boss.send(VALIDATION_QUEUE, job, { id: jobId(job.key) });
    if (id === null) return false;
    this.pending.add(id);
    return true;
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) {
      for (const id of [...this.pending]) {
        const job = await this.boss.getJobById(VALIDATION_QUEUE, id);
        if (!job || SETTLED.has(job.state)) this.pending.delete(id);
      }
      if (this.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    if (!this.started) return;
    // Graceful: running jobs finish; pg-boss's own pool closes (a PGlite stays with its owner).
    await this.boss.stop({ graceful: true, timeout: 60_000 });
  }
}

/** A UUID (version 5 layout) derived from the job key, so equal keys name the same job. */
export function jobId(key: string): string {
  const h = createHash('sha1').update(`idse-job:${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
