/**
 * The idse GitHub App (Agency Core) as a Probot application function. `idse app` serves it; it also
 * runs under `probot run` through the default export.
 */
import type { ApplicationFunction, Context, Logger, Probot } from 'probot';
import { defaultConfig } from '../config/schema.ts';
import type { FactsCache } from '../workspace/build.ts';
import { FactsPool } from '../workspace/facts-pool.ts';
import { type Planned, planCheckRun, planCheckSuite, planPullRequest, planPush } from './events.ts';
import { MemoryFactsCache } from './facts-cache.ts';
import type { GitHub } from './github.ts';
import { onInstallation, onInstallationRepositories } from './installations.ts';
import { type JobQueue, MemoryJobQueue } from './jobs.ts';
import { type ClientStore, MemoryClientStore } from './store.ts';
import { StoreMirror } from './store-mirror.ts';
import { RunFailed, type RunLimits, runValidation } from './validation.ts';

export interface IdseAppOptions {
  store?: ClientStore;
  queue?: JobQueue;
  facts?: FactsCache;
  limits?: Partial<RunLimits>;
  /** Worker threads parsing markdown; 0 parses on the main thread. Default: one per core. */
  threads?: number;
  now?: () => Date;
}

export interface IdseApp {
  app: ApplicationFunction;
  store: ClientStore;
  queue: JobQueue;
  /** Starts the parsing workers ahead of the first large push (see FactsPool.warm). */
  warm(): Promise<void>;
  /** Waits for queued validations, then stops the parsing workers. */
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: RunLimits = {
  concurrency: 8,
  archiveMinFiles: 100,
  archiveMaxTreeBytes: 256 * 1024 * 1024,
};

export function createIdseApp(options: IdseAppOptions = {}): IdseApp {
  const store = options.store ?? new MemoryClientStore();
  const facts = options.facts ?? new MemoryFactsCache();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? (() => new Date());
  const workers = new FactsPool(options.threads === undefined ? {} : { size: options.threads });
  let log: Logger | undefined;
  const queue =
    options.queue ??
    new MemoryJobQueue({
      onError: (key, error) => {
        // RunFailed was logged where it happened; anything else escaped every handler: a bug.
        if (error instanceof RunFailed)
          log?.warn(`idse: job ${key} failed; a redelivery of its webhook runs it again`);
        else log?.error({ err: error }, `idse: job ${key} failed unexpectedly`);
      },
    });

  const app: ApplicationFunction = (probot: Probot) => {
    log = probot.log;
    if (store instanceof StoreMirror) store.log ??= probot.log;
    const schedule = (context: Context, planned: Planned): void => {
      if ('skip' in planned) {
        context.log.debug(`idse: ${context.name} ${context.id} skipped: ${planned.skip}`);
        return;
      }
      const { job } = planned;
      const jobLog = probot.log.child({
        name: 'idse',
        delivery: job.deliveryId,
        repo: `${job.owner}/${job.repo}`,
        sha: job.headSha,
      });
      // Acknowledge the webhook now; GitHub gives it 10 s and a large push takes longer.
      const added = queue.add(job.key, async () => {
        const gh = (await probot.auth(job.installationId)) as GitHub;
        await runValidation(job, { gh, log: jobLog, store, facts, workers, limits, now });
      });
      if (!added) jobLog.info(`idse: ${job.event} skipped: ${job.key} is already being validated or was`);
    };

    probot.on('push', (context) => schedule(context, planPush(context.payload, context.id)));
    probot.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], (context) =>
      schedule(context, planPullRequest(context.payload, context.id)),
    );
    probot.on(['check_suite.requested', 'check_suite.rerequested'], (context) =>
      schedule(context, planCheckSuite(context.payload, context.id)),
    );
    probot.on('check_run.rerequested', (context) =>
      schedule(context, planCheckRun(context.payload, context.id)),
    );
    probot.on('installation', (context) => onInstallation(context, store));
    probot.on('installation_repositories', (context) => onInstallationRepositories(context, store));
  };

  return {
    app,
    store,
    queue,
    warm: () => workers.warm(defaultConfig()),
    close: async () => {
      await queue.idle();
      await workers.close();
    },
  };
}

/** For `probot run`: the App with the in-memory store and queue. */
const idse: ApplicationFunction = createIdseApp().app;
export default idse;
