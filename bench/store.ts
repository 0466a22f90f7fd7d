/**
 * Store benchmark on the real Postgres:
 *   node bench/store.ts [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 50] [--keep]
 * 1. ingest: 100,000 artifacts mirrored with the Store (100 deliveries × 1,000 artifacts, one at a time),
 *    goal ≥ 5,000 artifacts/s;
 * 2. fill to 1,000,000 artifact rows (9 more commits of every repository, 4 deliveries in flight);
 * 3. per-client summary latency at 1,000,000 artifacts (median and p95 of --runs calls), goal < 100 ms.
 * Works in a throw-away database (idse_bench_<random>, dropped unless --keep). Prints a table and
 * writes bench/.out/store.json.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DOC_KINDS } from '../src/pipeline/stages.ts';
import { openPostgresStore } from '../src/store/backends/postgres.ts';
import type { MirroredArtifact, MirroredSession, ValidationMirror } from '../src/store/schema.ts';
import type { Store } from '../src/store/store.ts';
import { round } from './lib/measure.ts';
import { BENCH_PG_URL, inParallel, percentile, queryVersion } from './lib/pg.ts';

const OUT = resolve(import.meta.dirname, '.out');
const CLIENTS = 20;
const REPOS_PER_CLIENT = 5;
const SESSIONS_PER_REPO = 100;
const DOCS_PER_SESSION = 10;
const COMMITS = 10; // commit 1 = the ingest phase (100,000 artifacts); all 10 = 1,000,000
// Ten docs a session: the nine pipeline kinds plus a changelog, as orchestrator sessions keep.
const KINDS = [...DOC_KINDS, 'changelog'];
const RULES = ['IDSE007', 'IDSE008', 'IDSE009', 'IDSE010', 'IDSE012', 'IDSE013', 'IDSE016', 'IDSE020'];

const log = (msg: string) => process.stderr.write(`${msg}\n`);

const { values } = parseArgs({
  options: {
    pg: { type: 'string', default: BENCH_PG_URL },
    runs: { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

interface Repo {
  installationId: number;
  id: number;
  fullName: string;
}

function repos(): Repo[][] {
  return Array.from({ length: CLIENTS }, (_, c) =>
    Array.from({ length: REPOS_PER_CLIENT }, (_, r) => ({
      installationId: 1000 + c,
      id: 100_000 + c * 100 + r,
      fullName: `client-${c}/repo-${r}`,
    })),
  );
}

/** One commit of a repository: every doc of every session changed, findings on a deterministic share. */
function commitPayload(repo: Repo, commit: number): ValidationMirror {
  const artifacts: MirroredArtifact[] = [];
  const sessions: MirroredSession[] = [];
  for (let s = 0; s < SESSIONS_PER_REPO; s++) {
    const project = `project-${s % 10}`;
    const session = `session-${s}`;
    let errors = 0;
    let warnings = 0;
    for (let d = 0; d < DOCS_PER_SESSION; d++) {
      const kind = KINDS[d]!;
      const path = `projects/${project}/sessions/${session}/${kind}.md`;
      const seed = (repo.id * 31 + s * 7 + d * 3 + commit) % 17;
      const diagnostics = Array.from({ length: seed % 4 === 0 ? 2 : seed % 5 === 0 ? 1 : 0 }, (_, i) => {
        const severity = (seed + i) % 3 === 0 ? ('error' as const) : ('warning' as const);
        if (severity === 'error') errors += 1;
        else warnings += 1;
        return {
          code: RULES[(seed + i) % RULES.length]!,
          rule: 'rule-name',
          severity,
          message: `Finding ${i + 1} in ${kind}: a message of realistic length naming what to fix and where.`,
          file: path,
          range: { start: { line: 3 + i, column: 1 }, end: { line: 3 + i, column: 40 } },
        };
      });
      artifacts.push({
        path,
        kind,
        blob_sha: sha(`${repo.id}:${path}@${commit}`),
        project,
        session,
        summary: { bytes: 2000 + seed * 100, headings: 6 + (seed % 5), markers: seed % 3 },
        diagnostics,
      });
    }
    sessions.push({
      project,
      session,
      stage: 'tasks',
      status: 'in_progress',
      errors,
      warnings,
      coverage: { requirements: 12, withTasks: 10, withTests: 9, tasks: 20, tasksDone: 5 + commit },
    });
  }
  return {
    delivery_id: `bench-${repo.id}-${commit}`,
    installation_id: repo.installationId,
    repository: { id: repo.id, full_name: repo.fullName, default_branch: 'main' },
    ref: 'refs/heads/main',
    commit_sha: sha(`${repo.id}@${commit}`),
    committed_at: new Date(Date.UTC(2026, 0, 1) + commit * 3_600_000).toISOString(),
    artifacts,
    sessions,
  };
}

async function main(): Promise<void> {
  const name = `idse_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: values.pg });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(values.pg);
  url.pathname = `/${name}`;
  let store: Store | undefined;
  try {
    store = await openPostgresStore({ connectionString: url.toString() });
    const all = repos();
    for (const [c, clientRepos] of all.entries()) {
      await store.recordInstallation({
        delivery_id: `bench-installation-${c}`,
        action: 'created',
        installation_id: 1000 + c,
        account: { id: 5000 + c, login: `client-${c}`, type: 'Organization' },
        repositories_added: clientRepos.map((r) => ({
          id: r.id,
          full_name: r.fullName,
          default_branch: 'main',
        })),
      });
    }
    const flat = all.flat();
    const perDelivery = SESSIONS_PER_REPO * DOCS_PER_SESSION;

    // 1. Ingest: one delivery at a time (the worst case: no parallelism to hide latency).
    log(`ingest: ${flat.length} deliveries × ${perDelivery} artifacts…`);
    const payloads = flat.map((r) => commitPayload(r, 1));
    const t0 = performance.now();
    for (const p of payloads) await store.recordValidation(p);
    const ingestMs = performance.now() - t0;
    const ingested = flat.length * perDelivery;

    // 2. Fill to 1,000,000 artifact rows; 4 deliveries in flight, as several App replicas would.
    log(`fill: commits 2–${COMMITS}…`);
    const t1 = performance.now();
    const jobs = Array.from({ length: COMMITS - 1 }, (_, i) => flat.map((r) => [r, i + 2] as const)).flat();
    await inParallel(jobs, 4, ([r, commit]) => store!.recordValidation(commitPayload(r, commit)));
    const fillMs = performance.now() - t1;

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query('analyze');
    const rows: Record<string, number> = {};
    for (const t of [
      'artifacts',
      'artifact_refs',
      'sessions',
      'session_states',
      'analytics',
      'sync_events',
    ]) {
      rows[t] = Number((await client.query(`select count(*) as n from idse.${t}`)).rows[0].n);
    }
    const { rows: clientRows } = await client.query<{ client_id: string }>(
      `select client_id from idse.clients where login = 'client-7'`,
    );
    const clientId = clientRows[0]!.client_id;
    const plan = (
      await client.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers) select idse.client_summary($1)`,
        [clientId],
      )
    ).rows.map((r) => r['QUERY PLAN']);
    await client.end();

    // 3. Summary latency, through the Store (round trip + JSON parse + zod), after one warm-up call.
    log(`summary: ${runs} calls…`);
    const first = await store.clientSummary(clientId);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await store.clientSummary(clientId);
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);

    const result = {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: round(totalmem() / 2 ** 30) },
      node: process.version,
      postgres: (await queryVersion(values.pg)) ?? 'unknown',
      ingest: {
        artifacts: ingested,
        deliveries: flat.length,
        artifactsPerDelivery: perDelivery,
        ms: round(ingestMs),
        artifactsPerSecond: Math.round(ingested / (ingestMs / 1000)),
        goal: 5000,
      },
      fill: {
        artifacts: jobs.length * perDelivery,
        inFlight: 4,
        ms: round(fillMs),
        artifactsPerSecond: Math.round((jobs.length * perDelivery) / (fillMs / 1000)),
      },
      rows,
      summary: {
        sessions: first.sessions.length,
        runs: first.runs,
        calls: runs,
        medianMs: round(percentile(samples, 50), 2),
        p95Ms: round(percentile(samples, 95), 2),
        maxMs: round(samples.at(-1)!, 2),
        goalMs: 100,
        serverExecutionMs: Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1] ?? Number.NaN),
      },
    };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'store.json'), `${JSON.stringify(result, null, 2)}\n`);
    const pass = (ok: boolean) => (ok ? 'yes' : 'NO');
    process.stdout.write(
      [
        `Store benchmark — Postgres ${result.postgres}, Node ${process.version}, ${result.machine.cpus} CPUs`,
        '',
        '| measure | value | goal | met |',
        '| --- | ---: | ---: | :---: |',
        `| ingest, ${ingested.toLocaleString('en')} artifacts (${flat.length} deliveries, sequential) | ${result.ingest.artifactsPerSecond.toLocaleString('en')} artifacts/s (${round(ingestMs / 1000, 2)} s) | ≥ 5,000/s | ${pass(result.ingest.artifactsPerSecond >= 5000)} |`,
        `| fill to ${rows.artifacts!.toLocaleString('en')} artifacts (4 in flight) | ${result.fill.artifactsPerSecond.toLocaleString('en')} artifacts/s (${round(fillMs / 1000, 1)} s) | | |`,
        `| client summary at ${rows.artifacts!.toLocaleString('en')} artifacts (${first.sessions.length} sessions, ${first.runs.toLocaleString('en')} runs), median | ${result.summary.medianMs} ms | < 100 ms | ${pass(result.summary.medianMs < 100)} |`,
        `| … p95 / max of ${runs} calls | ${result.summary.p95Ms} / ${result.summary.maxMs} ms | | |`,
        `| … server execution (EXPLAIN ANALYZE) | ${result.summary.serverExecutionMs} ms | | |`,
        '',
        `rows: ${Object.entries(rows)
          .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
          .join(', ')}`,
        `written: bench/.out/store.json`,
        '',
      ].join('\n'),
    );
  } finally {
    await store?.close();
    if (!values.keep) await admin.query(`drop database if exists ${name} with (force)`);
    else log(`kept database ${name}`);
    await admin.end();
  }
}

await main();
