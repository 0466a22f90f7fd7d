/**
 * Dashboard benchmark on the real Postgres:
 *   node bench/dashboard.ts [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 30] [--keep]
 *                           [--reuse idse_bench_dash_xxxx]
 * 1. a year of history for 100 clients, mirrored through the Store as the App mirrors it: 100,000
 *    validation runs (each one session, its 10 docs as new blobs) = 100,000 sync events and 1,000,000
 *    artifact rows, over 5,000 sessions (2 repositories × 5 projects × 5 sessions per client);
 * 2. every dashboard page served by the App (createAppServer + the dashboard route) on a real port,
 *    signed in with the session cookie: median and p95 over --runs requests, from the client and as the
 *    server's own Server-Timing (store, total), goal < 100 ms;
 * 3. `idse agency report`: the store call + report + text (in-process), and the whole command in a new
 *    process; EXPLAIN ANALYZE of the agency-wide SQL functions.
 * Works in a throw-away database (idse_bench_dash_<random>, dropped unless --keep; --reuse measures a
 * kept one again without refilling). Prints a table and writes bench/.out/dashboard.json.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { renderAgencyText } from '../src/analytics/agency-render.ts';
import { buildAgencyReport } from '../src/analytics/agency-report.ts';
import { createAppServer } from '../src/app/server.ts';
import { generateApiKey } from '../src/auth/keys.ts';
import { TokenIssuer } from '../src/auth/tokens.ts';
import { createDashboard } from '../src/dashboard/routes.ts';
import { DOC_KINDS, STAGES } from '../src/pipeline/stages.ts';
import { openPostgresStore } from '../src/store/backends/postgres.ts';
import type { ValidationMirror } from '../src/store/schema.ts';
import type { Store } from '../src/store/store.ts';
import { createRng } from './gen/prng.ts';
import { round } from './lib/measure.ts';
import { BENCH_PG_URL, inParallel, percentile, queryVersion } from './lib/pg.ts';

const OUT = resolve(import.meta.dirname, '.out');
const ROOT = resolve(import.meta.dirname, '..');
const CLIENTS = 100;
const REPOS = 2;
const PROJECTS = 5;
const SESSIONS = 5;
const RUNS = 20;
// Ten docs a session: the nine kinds plus a changelog, as orchestrator sessions keep.
const DOCS = [...DOC_KINDS, 'changelog'];
const RULES = ['IDSE007', 'IDSE009', 'IDSE010', 'IDSE012', 'IDSE013', 'IDSE016', 'IDSE020'];
const DAY = 86_400_000;

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const { values } = parseArgs({
  options: {
    pg: { type: 'string', default: BENCH_PG_URL },
    runs: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const runs = Number(values.runs);
const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/** Every run of every session over the last year, oldest first: one delivery each. */
function history(now: number): ValidationMirror[] {
  const rng = createRng(7);
  const yearAgo = now - 364 * DAY;
  const out: ValidationMirror[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    for (let r = 0; r < REPOS; r++) {
      const repository = {
        id: 200_000 + c * 10 + r,
        full_name: `client-${c}/repo-${r}`,
        default_branch: 'main',
      };
      for (let p = 0; p < PROJECTS; p++) {
        for (let s = 0; s < SESSIONS; s++) {
          const project = `project-${p}`;
          const session = `session-${s}`;
          // A session lives 1–8 weeks somewhere in the year; its runs spread over that span.
          const span = rng.int(7, 56) * DAY;
          const start = yearAgo + rng.next() * (now - yearAgo - span);
          const cleanFrom = rng.int(2, 12);
          for (let n = 0; n < RUNS; n++) {
            const at = start + (span * n) / (RUNS - 1);
            const stage = STAGES[Math.min(STAGES.length - 1, Math.floor((n * STAGES.length) / RUNS))]!;
            const markers = Math.max(0, 6 - Math.floor(n / 2) - rng.int(0, 1));
            const errors = n >= cleanFrom && rng.chance(0.8) ? 0 : rng.int(1, 4);
            const rules = errors
              ? { [rng.pick(RULES)]: errors, ...(markers ? { IDSE010: markers } : {}) }
              : {};
            const base = `projects/${project}/sessions/${session}`;
            out.push({
              delivery_id: `bench-${repository.id}-${p}-${s}-${n}`,
              installation_id: 5000 + c,
              repository,
              ref: 'refs/heads/main',
              commit_sha: sha(`${repository.id}/${p}/${s}@${n}`),
              committed_at: new Date(at).toISOString(),
              artifacts: DOCS.map((kind) => ({
                path: `${base}/${kind}.md`,
                kind,
                blob_sha: sha(`${repository.id}/${base}/${kind}@${n}`),
                project,
                session,
                summary: { bytes: 2000 + n * 10, markers: kind === 'intent' ? markers : 0 },
                diagnostics: [],
              })),
              sessions: [
                {
                  project,
                  session,
                  stage,
                  status: n === RUNS - 1 ? 'complete' : 'in_progress',
                  errors,
                  warnings: rng.int(0, 3),
                  markers,
                  rules,
                  coverage: {
                    requirements: 10,
                    withTasks: 9,
                    withTests: 8,
                    aligned: Math.min(10, n),
                    tasks: 12,
                    tasksDone: n,
                  },
                },
              ],
            });
          }
        }
      }
    }
  }
  return out.sort((a, b) => (a.committed_at < b.committed_at ? -1 : 1));
}

async function fill(store: Store): Promise<{ ms: number; deliveries: number }> {
  for (let c = 0; c < CLIENTS; c++) {
    await store.recordInstallation({
      delivery_id: `bench-installation-${c}`,
      action: 'created',
      installation_id: 5000 + c,
      account: { id: 9000 + c, login: `client-${c}`, type: 'Organization' },
      repositories_added: Array.from({ length: REPOS }, (_, r) => ({
        id: 200_000 + c * 10 + r,
        full_name: `client-${c}/repo-${r}`,
        default_branch: 'main',
      })),
    });
  }
  const deliveries = history(Date.now());
  log(`fill: ${deliveries.length.toLocaleString('en')} deliveries, 4 in flight…`);
  const t0 = performance.now();
  let done = 0;
  await inParallel(deliveries, 4, async (d) => {
    await store.recordValidation(d);
    if (++done % 10_000 === 0)
      log(`  ${done.toLocaleString('en')} (${round((performance.now() - t0) / 1000)} s)`);
  });
  return { ms: performance.now() - t0, deliveries: deliveries.length };
}

interface Timing {
  medianMs: number;
  p95Ms: number;
  serverStoreMs: number;
  serverTotalMs: number;
  bytes: number;
}

/** `runs` GETs after two warm-ups: client-side wall time and the server's Server-Timing, medians. */
async function timePage(url: string, cookie: string): Promise<Timing> {
  const samples: { wall: number; store: number; total: number; bytes: number }[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.text();
    const wall = performance.now() - t;
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${body.slice(0, 200)}`);
    const timing = response.headers.get('server-timing') ?? '';
    const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(timing)?.[1]);
    if (i >= 2) samples.push({ wall, store: dur('store'), total: dur('total'), bytes: body.length });
  }
  const sorted = (key: 'wall' | 'store' | 'total') => samples.map((s) => s[key]).sort((a, b) => a - b);
  return {
    medianMs: round(percentile(sorted('wall'), 50), 1),
    p95Ms: round(percentile(sorted('wall'), 95), 1),
    serverStoreMs: round(percentile(sorted('store'), 50), 1),
    serverTotalMs: round(percentile(sorted('total'), 50), 1),
    bytes: samples[0]!.bytes,
  };
}

async function signIn(base: string, store: Store, clientId: string | null): Promise<string> {
  const { key, hash, prefix } = generateApiKey('admin');
  await store.createApiKey({
    client_id: clientId,
    scope: 'admin',
    key_prefix: prefix,
    key_hash: hash,
    label: 'bench',
  });
  const response = await fetch(`${base}/dashboard/login`, {
    method: 'POST',
    body: new URLSearchParams({ key }),
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie;
}

/** The report in-process: one store call, the report, its text. */
async function timeReport(store: Store, clientId?: string): Promise<{ medianMs: number; p95Ms: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    const metrics = await store.agencyMetrics(clientId ? { clientId } : {});
    renderAgencyText(buildAgencyReport(metrics!));
    if (i >= 2) samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: round(percentile(samples, 50), 1), p95Ms: round(percentile(samples, 95), 1) };
}

async function main(): Promise<void> {
  const name = values.reuse ?? `idse_bench_dash_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: values.pg });
  await admin.connect();
  if (!values.reuse) await admin.query(`create database ${name}`);
  const url = new URL(values.pg);
  url.pathname = `/${name}`;
  let store: Store | undefined;
  try {
    // A reused database was migrated when it was filled.
    store = await openPostgresStore({ connectionString: url.toString(), migrate: !values.reuse });
    const filled = values.reuse ? undefined : await fill(store);

    const sql = new pg.Client({ connectionString: url.toString() });
    await sql.connect();
    await sql.query('analyze');
    const rows: Record<string, number> = {};
    for (const t of ['artifacts', 'sync_events', 'analytics', 'sessions', 'session_weeks']) {
      rows[t] = Number((await sql.query(`select count(*) as n from idse.${t}`)).rows[0].n);
    }
    const executionMs = async (text: string) =>
      Number(
        /Execution Time: ([\d.]+)/.exec(
          (await sql.query<{ 'QUERY PLAN': string }>(`explain (analyze) ${text}`)).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n'),
        )?.[1],
      );
    const sqlMs = {
      agencyMetrics: await executionMs('select idse.agency_metrics()'),
      agencyClients: await executionMs('select idse.agency_clients()'),
    };
    const pick = (
      await sql.query<{ client_id: string; project_id: string; session_id: string }>(
        `select c.client_id, p.id as project_id, s.id as session_id from idse.clients c
       join idse.projects p on p.client_id = c.client_id join idse.sessions s on s.project_id = p.id
       where c.login = 'client-42' order by p.id, s.id limit 1`,
      )
    ).rows[0]!;
    await sql.end();

    const { privateKey } = (await import('node:crypto')).generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const app = await createAppServer({
      appId: 1,
      privateKey,
      webhookSecret: 'bench',
      log: pino({ level: 'silent' }),
      routes: [createDashboard({ store, tokens: TokenIssuer.fromPrivateKey(privateKey) })],
    });
    const { port } = await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
    const pages: Record<string, Timing> = {};
    try {
      const agency = await signIn(base, store, null);
      const client = await signIn(base, store, pick.client_id);
      log(`pages: ${runs} requests each…`);
      pages['agency overview (100 clients)'] = await timePage(`${base}/dashboard`, agency);
      pages['agency overview, archived shown'] = await timePage(`${base}/dashboard?archived=1`, agency);
      pages['client (agency admin)'] = await timePage(`${base}/dashboard/clients/${pick.client_id}`, agency);
      pages['client (its own admin)'] = await timePage(`${base}/dashboard/clients/${pick.client_id}`, client);
      pages.project = await timePage(`${base}/dashboard/projects/${pick.project_id}`, agency);
      pages.session = await timePage(`${base}/dashboard/sessions/${pick.session_id}`, agency);
    } finally {
      await app.close();
    }

    log('idse agency report…');
    const report = { agency: await timeReport(store), client: await timeReport(store, pick.client_id) };
    // The whole command in a new process: Node start, store open (with its migration check), report.
    // Not on a reused database, whose migrations may predate this checkout.
    const cliWall: number[] = [];
    for (let i = 0; i < (values.reuse ? 0 : 5); i++) {
      const t = performance.now();
      execFileSync(process.execPath, [join(ROOT, 'cli/main.ts'), 'agency', 'report'], {
        env: { ...process.env, IDSE_STORE: 'postgres', DATABASE_URL: url.toString() },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      cliWall.push(performance.now() - t);
    }
    cliWall.sort((a, b) => a - b);
    const cliProcessMedianMs = cliWall.length ? round(percentile(cliWall, 50)) : undefined;

    const result = {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: round(totalmem() / 2 ** 30) },
      node: process.version,
      postgres: (await queryVersion(values.pg)) ?? 'unknown',
      fill: filled && {
        deliveries: filled.deliveries,
        ms: round(filled.ms),
        runsPerSecond: Math.round(filled.deliveries / (filled.ms / 1000)),
        artifactsPerSecond: Math.round((filled.deliveries * DOCS.length) / (filled.ms / 1000)),
      },
      rows,
      sqlExecutionMs: sqlMs,
      pages,
      report: { ...report, cliProcessMedianMs },
      goalMs: 100,
    };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'dashboard.json'), `${JSON.stringify(result, null, 2)}\n`);
    const met = (ms: number) => (ms < 100 ? 'yes' : 'NO');
    process.stdout.write(
      [
        `Dashboard benchmark — Postgres ${result.postgres}, Node ${process.version}, ${result.machine.cpus} CPUs`,
        `rows: ${Object.entries(rows)
          .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
          .join(', ')}`,
        filled
          ? `fill: ${filled.deliveries.toLocaleString('en')} runs in ${round(filled.ms / 1000)} s (${result.fill!.runsPerSecond} runs/s, ${result.fill!.artifactsPerSecond.toLocaleString('en')} artifacts/s, 4 in flight)`
          : `reused database ${name}`,
        '',
        `| page (${runs} requests) | median | p95 | server: store | server: total | HTML | < 100 ms |`,
        '| --- | ---: | ---: | ---: | ---: | ---: | :---: |',
        ...Object.entries(pages).map(
          ([page, t]) =>
            `| ${page} | ${t.medianMs} ms | ${t.p95Ms} ms | ${t.serverStoreMs} ms | ${t.serverTotalMs} ms | ${Math.round(t.bytes / 1024)} KB | ${met(t.serverTotalMs)} |`,
        ),
        `| idse agency report, all clients (store + report + text, in-process) | ${report.agency.medianMs} ms | ${report.agency.p95Ms} ms | | | | ${met(report.agency.medianMs)} |`,
        `| idse agency report --client (in-process) | ${report.client.medianMs} ms | ${report.client.p95Ms} ms | | | | ${met(report.client.medianMs)} |`,
        ...(cliProcessMedianMs === undefined
          ? []
          : [
              `| idse agency report, whole process (Node start, store open, report) | ${cliProcessMedianMs} ms | | | | | |`,
            ]),
        '',
        `SQL execution (EXPLAIN ANALYZE): agency_metrics() ${sqlMs.agencyMetrics} ms, agency_clients() ${sqlMs.agencyClients} ms`,
        'written: bench/.out/dashboard.json',
        '',
      ].join('\n'),
    );
  } finally {
    await store?.close();
    if (!values.keep && !values.reuse) await admin.query(`drop database if exists ${name} with (force)`);
    else log(`kept database ${name}`);
    await admin.end();
  }
}

await main();
