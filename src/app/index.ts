/**
 * The idse GitHub App (Agency Core) as a Probot application function. `idse app` serves it; it also
 * runs under `probot run` through the default export.
 */
import type { ApplicationFunction, Context, Logger, Probot } from 'probot';
import { defaultConfig } from '../config/schema.ts';
import { FactsPool } from '../run/facts-pool.ts';
import { TieredFactsCache } from '../run/memory-facts-cache.ts';
import { RunFailed, type RunLimits, runValidation } from './check-run/validation.ts';
import type { GitHub } from './github/github.ts';
import { type ClientStore, MemoryClientStore } from './mirror/store.ts';
import { StoreMirror } from './mirror/store-mirror.ts';
import { type JobQueue, MemoryJobQueue, type RunJob } from './queue/jobs.ts';
import { type Planned, planCheckRun, planCheckSuite, planPullRequest, planPush } from './webhooks/events.ts';
import { onInstallation, onInstallationRepositories } from './webhooks/installations.ts';
import { guarded, plannedFrom } from './webhooks/webhook-errors.ts';

export interface IdseAppOptions {
  store?: ClientStore;
  queue?: JobQueue;
  /** Facts of docs by content, shared with the sync gateway in `idse app`; memory only by default. */
  facts?: TieredFactsCache;
  limits?: Partial<RunLimits>;
  /** Worker threads parsing markdown (at least one: the event loop never parses). Default: one per core. */
  threads?: number;
  /** Parsing workers shared with other routes of the server (the sync gateway); their owner closes them. */
  workers?: FactsPool;
  now?: () => Date;
}

export interface IdseApp {
  app: ApplicationFunction;
  store: ClientStore;
  queue: JobQueue;
  /** Starts the parsing workers ahead of the first large push (see FactsPool.warm). */
  warm(): Promise<void>;
  /** Resolves once every validation queued by this process has finished, its facts stored. */
  idle(): Promise<void>;
  /** Waits for queued validations, then stops the queue and the parsing workers. */
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: RunLimits = {
  concurrency: 8,
  archiveMinFiles: 100,
  archiveMaxTreeBytes: 256 * 1024 * 1024,
};

export function createIdseApp(options: IdseAppOptions = {}): IdseApp {
  const store: ClientStore = options.store ?? new MemoryClientStore();
  const facts = options.facts ?? new TieredFactsCache();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? (() => new Date());
  const ownWorkers = options.workers
    ? undefined
    : new FactsPool(options.threads === undefined ? {} : { size: options.threads });
  const workers = options.workers ?? ownWorkers!;
  let log: Logger | undefined;
  // Jobs run here when the durable queue can't take them (its database is down): the check run
  // still gets reported, only the job's durability is lost.
  const local = new MemoryJobQueue({
    onError: (job, error) => {
      // RunFailed was logged where it happened; anything else escaped every handler: a bug.
      if (error instanceof RunFailed)
        log?.warn(`idse: job ${job.key} failed; a redelivery of its webhook runs it again`);
      else log?.error({ err: error }, `idse: job ${job.key} failed unexpectedly`);
    },
  });
  const queue = options.queue ?? local;

  const app: ApplicationFunction = async (probot: Probot) => {
    log = probot.log;
    if (store instanceof StoreMirror) store.log ??= probot.log;
    facts.log ??= probot.log;
    const run: RunJob = async (job) => {
      const jobLog = probot.log.child({
        name: 'idse',
        delivery: job.deliveryId,
        repo: `${job.owner}/${job.repo}`,
        sha: job.headSha,
      });
      const gh = (await probot.auth(job.installationId)) as GitHub;
      await runValidation(job, { gh, log: jobLog, store, facts, workers, limits, now });
    };
    await local.start(run);
    if (queue !== local) await queue.start(run);

    const schedule = async (context: Context, planned: Planned): Promise<void> => {
      if ('skip' in planned) {
        context.log.debug(`idse: ${context.name} ${context.id} skipped: ${planned.skip}`);
        return;
      }
      const { job } = planned;
      // Acknowledge the webhook once the job is queued; GitHub gives it 10 s and a large push takes longer.
      const added = await queue.add(job).catch((error: unknown) => {
        probot.log.warn(
          { err: error },
          `idse: the job queue could not take ${job.key}; validating it in this process instead`,
        );
        return local.add(job);
      });
      if (!added) probot.log.info(`idse: ${job.event} skipped: ${job.key} is already being validated or was`);
    };

    // A payload without what its event always carries is a 400, any other failure a bare 500:
    // neither answer carries the App's own error text (see webhook-errors.ts).
    const logger = () => probot.log;
    probot.on(
      'push',
      guarded(logger, (c) =>
        schedule(
          c,
          plannedFrom(c.name, () => planPush(c.payload, c.id)),
        ),
      ),
    );
    probot.on(
      ['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'],
      guarded(logger, (c) =>
        schedule(
          c,
          plannedFrom(c.name, () => planPullRequest(c.payload, c.id)),
        ),
      ),
    );
    probot.on(
      ['check_suite.requested', 'check_suite.rerequested'],
      guarded(logger, (c) =>
        schedule(
          c,
          plannedFrom(c.name, () => planCheckSuite(c.payload, c.id)),
        ),
      ),
    );
    probot.on(
      'check_run.rerequested',
      guarded(logger, (c) =>
        schedule(
          c,
          plannedFrom(c.name, () => planCheckRun(c.payload, c.id)),
        ),
      ),
    );
    probot.on(
      'installation',
      guarded(logger, (c) => onInstallation(c, store)),
    );
    probot.on(
      'installation_repositories',
      guarded(logger, (c) => onInstallationRepositories(c, store)),
    );
  };

  const idle = async () => {
    await Promise.all([queue.idle(), local.idle()]);
    await facts.settled();
  };
  return {
    app,
    store,
    queue,
    warm: () => workers.warm(defaultConfig()),
    idle,
    close: async () => {
      await idle();
      await Promise.all([queue.close(), local.close()]);
      store.close?.();
      await ownWorkers?.close();
    },
  };
}

/** For `probot run`: the App with the in-memory store and queue. */
const idse: ApplicationFunction = createIdseApp().app;
export default idse;
