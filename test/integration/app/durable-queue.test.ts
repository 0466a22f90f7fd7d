/**
 * The App's durable job queue (pg-boss) on the real Postgres and on embedded PGlite: replicas share
 * the work without running a job twice, a failed job is retried, and a job queued by a process that
 * stopped is run by the next one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableJobQueue, jobId } from '../../../src/app/queue/durable-queue.ts';
import type { ValidationJob } from '../../../src/app/webhooks/events.ts';
import { startPglite } from '../../../src/store/backends/pglite.ts';
import type { JobDatabase } from '../../../src/store/store.ts';
import { tempDir } from '../../helpers/cli.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';

const database = useTestDatabase('idse_queue');
const HUNG_WORKER = fileURLToPath(new URL('../../helpers/hung-worker.ts', import.meta.url));
const queues: DurableJobQueue[] = [];
let pglite: PGlite | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await pglite?.close();
  pglite = undefined;
});

const job = (n: number, key = `commit:1:${n}`): ValidationJob => ({
  installationId: 1,
  repositoryId: 1,
  owner: 'acme',
  repo: 'docs',
  headSha: n.toString(16).padStart(40, '0'),
  scope: { kind: 'full', why: 'test' },
  key,
  deliveryId: `delivery-${n}`,
  event: 'push',
});

function queueOn(db: JobDatabase): DurableJobQueue {
  const queue = new DurableJobQueue(db, { pollSeconds: 0.5, retryDelaySeconds: 1, retryLimit: 2 });
  queues.push(queue);
  return queue;
}

describe('durable job queue', () => {
  it('shares jobs between two replicas on one Postgres, never running a key twice', async () => {
    const db: JobDatabase = { kind: 'postgres', connectionString: database().url };
    const ran: Array<{ replica: string; key: string }> = [];
    const [a, b] = [queueOn(db), queueOn(db)];
    for (const [replica, queue] of [
      ['a', a],
      ['b', b],
    ] as const) {
      await queue.start(async (j) => {
        ran.push({ replica, key: j.key });
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
    }
    const added: boolean[] = [];
    for (let n = 0; n < 20; n++) {
      // Both replicas get every webhook (as behind a load balancer with a redelivery): one wins.
      added.push(await a.add(job(n)), await b.add(job(n)));
    }
    expect(added.filter(Boolean)).toHaveLength(20);
    await Promise.all([a.idle(), b.idle()]);
    expect(ran.map((r) => r.key).sort()).toEqual(
      Array.from({ length: 20 }, (_, n) => `commit:1:${n}`).sort(),
    );
    // A key already done is refused too, not run again.
    expect(await b.add(job(3))).toBe(false);
  });

  it('retries a job whose run failed, on whichever replica fetches it next', async () => {
    const db: JobDatabase = { kind: 'postgres', connectionString: database().url };
    const attempts: string[] = [];
    for (const queue of [queueOn(db), queueOn(db)]) {
      await queue.start(async (j) => {
        attempts.push(j.key);
        if (attempts.length === 1) throw new Error('GitHub was down');
      });
    }
    expect(await queues[0]!.add(job(100, 'delivery:retry-me'))).toBe(true);
    await queues[0]!.idle();
    expect(attempts).toEqual(['delivery:retry-me', 'delivery:retry-me']);
  });

  it('runs again, as a later attempt, the job of a replica that died in it, long before the job expires', async () => {
    const db = { kind: 'postgres' as const, connectionString: database().url };
    const doomed = job(7, 'delivery:worker-dies');
    const worker = spawn(process.execPath, [HUNG_WORKER, db.connectionString, JSON.stringify(doomed)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(worker);
    await new Promise<void>((resolve, reject) => {
      worker.stdout!.on('data', (d: Buffer) => {
        if (String(d).includes(`running ${doomed.key}`)) resolve();
      });
      worker.once('exit', (code) => reject(new Error(`the worker exited ${code} before running the job`)));
    });
    worker.kill('SIGKILL');
    const died = Date.now();
    const survivor = new DurableJobQueue(db, { pollSeconds: 0.5, heartbeatSeconds: 10, superviseSeconds: 1 });
    queues.push(survivor);
    const ran = new Promise<ValidationJob>((resolve) => {
      void survivor.start(async (j) => resolve(j));
    });
    const again = await ran;
    expect(again).toMatchObject({ key: doomed.key, attempt: 1 });
    // Noticed by its missing heartbeat (10 s here), not by the 15-minute expiry.
    expect(Date.now() - died).toBeLessThan(30_000);
  }, 90_000);

  it('keeps its jobs in the embedded PGlite, across a restart of the process', async () => {
    const dataDir = tempDir('idse-queue-pglite-');
    pglite = await startPglite({ dataDir });
    const first = queueOn({ kind: 'pglite', db: pglite });
    const ran: string[] = [];
    await first.start(async (j) => {
      ran.push(j.key);
    });
    expect(await first.add(job(1))).toBe(true);
    expect(await first.add(job(1))).toBe(false);
    await first.idle();
    expect(ran).toEqual(['commit:1:1']);
    await first.close();
    await pglite.close();

    // A new process on the same data dir: the queue remembers the job it ran.
    pglite = await startPglite({ dataDir });
    const second = queueOn({ kind: 'pglite', db: pglite });
    await second.start(async (j) => {
      ran.push(j.key);
    });
    expect(await second.add(job(1))).toBe(false);
    expect(await second.add(job(2))).toBe(true);
    await second.idle();
    expect(ran).toEqual(['commit:1:1', 'commit:1:2']);
    const { rows } = await pglite.query<{ id: string; state: string }>(
      'select id::text, state::text from pgboss.job order by created_on',
    );
    expect(rows).toEqual([
      { id: jobId('commit:1:1'), state: 'completed' },
      { id: jobId('commit:1:2'), state: 'completed' },
    ]);
  });
});
