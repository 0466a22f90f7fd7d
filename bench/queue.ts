/**
 * Job queue benchmark: what a webhook waits for (saving its job) and how fast queued validations are
 * handed to workers, with the durable queue (pg-boss) on the real Postgres and on embedded PGlite,
 * against the in-memory queue the App uses without a store.
 *   node bench/queue.ts [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--jobs 1000]
 * Jobs do no work, so the figures are the queue's own cost. Works in a throw-away database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DurableJobQueue } from '../src/app/queue/durable-queue.ts';
import { type JobQueue, MemoryJobQueue } from '../src/app/queue/jobs.ts';
import type { ValidationJob } from '../src/app/webhooks/events.ts';
import { startPglite } from '../src/store/backends/pglite.ts';

const { values } = parseArgs({
  options: {
    pg: {
      type: 'string',
      default: process.env.IDSE_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    },
    jobs: { type: 'string', default: '1000' },
  },
});
const JOBS = Number(values.jobs);

const job = (n: number): ValidationJob => ({
  installationId: 1,
  repositoryId: 1,
  owner: 'acme',
  repo: 'docs',
  headSha: n.toString(16).padStart(40, '0'),
  scope: { kind: 'full', why: 'bench' },
  key: `bench:${n}`,
  deliveryId: `bench-${n}`,
  event: 'push',
});

async function measure(name: string, queue: JobQueue) {
  let done = 0;
  await queue.start(async () => {
    done++;
  });
  const waits: number[] = [];
  const start = performance.now();
  for (let n = 0; n < JOBS; n++) {
    const t = performance.now();
    await queue.add(job(n));
    waits.push(performance.now() - t);
  }
  await queue.idle();
  const seconds = (performance.now() - start) / 1000;
  await queue.close();
  waits.sort((a, b) => a - b);
  const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]!.toFixed(2);
  return {
    queue: name,
    jobs: done,
    'add median ms': at(0.5),
    'add p95 ms': at(0.95),
    'jobs/s': Math.round(JOBS / seconds),
  };
}

const rows = [await measure('memory', new MemoryJobQueue())];

const name = `idse_bench_queue_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: values.pg });
await admin.connect();
await admin.query(`create database ${name}`);
try {
  const url = new URL(values.pg);
  url.pathname = `/${name}`;
  rows.push(
    await measure(
      'pg-boss, Postgres',
      new DurableJobQueue({ kind: 'postgres', connectionString: url.toString() }, { pollSeconds: 0.5 }),
    ),
  );
} finally {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

const dir = mkdtempSync(join(tmpdir(), 'idse-bench-queue-'));
try {
  const db = await startPglite({ dataDir: dir });
  rows.push(
    await measure('pg-boss, PGlite', new DurableJobQueue({ kind: 'pglite', db }, { pollSeconds: 0.5 })),
  );
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
