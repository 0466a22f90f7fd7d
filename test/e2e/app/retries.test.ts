/**
 * A validation retried by the durable queue (pg-boss on PGlite): the later attempt carries on the
 * check run the first one opened instead of opening a second beside it.
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableJobQueue } from '../../../src/app/queue/durable-queue.ts';
import { startPglite } from '../../../src/store/backends/pglite.ts';
import { BLOB, CREATE, LIST_RUNS, ZERO } from './calls.ts';
import { cleanSessions } from './docs.ts';
import { type Harness, startHarness, TARGET } from './harness.ts';
import { pushPayload } from './webhooks.ts';

let h: Harness | undefined;
let pg: PGlite | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await pg?.close();
  pg = undefined;
});

describe('a retried validation', () => {
  it('finds the check run its first attempt opened and completes that one', async () => {
    pg = await startPglite({});
    const queue = new DurableJobQueue({ kind: 'pglite', db: pg }, { pollSeconds: 0.5, retryDelaySeconds: 1 });
    h = await startHarness({ app: { queue } });
    const sha = h.repo.commit(cleanSessions('s1'));
    // The first attempt's blob read fails through every HTTP retry: that attempt reports the failure
    // on its check run and fails the job, which pg-boss runs again.
    h.github.fail({ route: BLOB, status: 503, times: 4, body: { message: 'Service Unavailable' } });
    expect((await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }))).status).toBe(200);
    await h.settle();

    expect(h.github.violations).toEqual([]);
    expect(h.github.checkRuns).toHaveLength(1);
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ conclusion: 'success', status: 'completed' });
    expect(run!.writes.map((w) => w.conclusion ?? w.status)).toEqual([
      'in_progress',
      'failure',
      'in_progress',
      'success',
    ]);
    const routes = h.github.routes();
    expect(routes.filter((r) => r === CREATE)).toHaveLength(1);
    expect(routes.filter((r) => r === LIST_RUNS)).toHaveLength(1);
  }, 30_000);
});
