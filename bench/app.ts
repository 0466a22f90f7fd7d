/**
 * The GitHub App on a large push, against the GitHub stand-in:
 *   node bench/app.ts [--sessions 112] [--seed 1] [--cold] [--restart] [--timeline] [--latency 0]
 * Generates a corpus (112 sessions ≈ 1,000 docs), commits it on top of a small repository, sends the
 * push webhook (signed, over HTTP) and waits for the check run. Reports GitHub requests by kind and
 * the end-to-end time, then does the same for a push touching a single session of that repository.
 * --restart keeps facts in a store (the environment's, as `idse app` opens it; PGlite in a temporary
 * data dir by default), then restarts the App and sends the large push again, nothing new in it: once
 * with facts in memory only (as before the store kept them), once with the store's.
 * --latency N holds each answer of the stand-in N ms, as GitHub's round trips take (the stand-in
 * answers at once otherwise): which requests wait on each other shows then.
 * --timeline prints, for each push, the App's requests to GitHub in order (consecutive requests of a
 * kind on one line) with when they started and ended, counted from sending the webhook.
 * The stand-in runs in a worker thread so its work (git reads, OpenAPI checks) is not billed to the App.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pino from 'pino';
import { appConfigFromEnv } from '../src/app/env.ts';
import { createAppServer } from '../src/app/server.ts';
import { type FactsSources, TieredFactsCache } from '../src/run/memory-facts-cache.ts';
import { openStore } from '../src/store/factory.ts';
import type { Store } from '../src/store/store.ts';
import { type Call, GitHubStandin, type StandinOptions } from '../test/helpers/github-standin.ts';
import { generateCorpus } from './generate-corpus.ts';

const OWNER = 'acme';
const REPO = 'corpus';
const APP_ID = 4242;
const INSTALLATION = 77;
const SECRET = 'bench-secret';
const ZERO = '0'.repeat(40);

interface StandinReport {
  calls: Array<Omit<Call, 'body' | 'query'>>;
  violations: string[];
  checkRuns: Array<{ conclusion: string | null; annotations: number; writes: number; title?: string }>;
}

if (!isMainThread) {
  // The worker: serve the stand-in, answer "report" and "reset".
  const standin = await GitHubStandin.start(workerData as StandinOptions);
  parentPort!.on('message', async (message: string) => {
    if (message === 'report') {
      const report: StandinReport = {
        calls: standin.calls.map(({ body: _b, query: _q, ...call }) => call),
        violations: standin.violations,
        checkRuns: standin.checkRuns.map((r) => ({
          conclusion: r.conclusion,
          annotations: r.annotations.length,
          writes: r.writes.length,
          ...(r.output.title ? { title: r.output.title } : {}),
        })),
      };
      parentPort!.postMessage(report);
    } else if (message === 'reset') {
      standin.reset();
      standin.checkRuns.length = 0;
      parentPort!.postMessage('ok');
    } else if (message === 'close') {
      await standin.close();
      parentPort!.postMessage('closed');
    }
  });
  parentPort!.postMessage({ host: standin.host });
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '112' },
      seed: { type: 'string', default: '1' },
      // `idse app` warms its parsing workers at start; --cold measures a push that meets cold ones.
      cold: { type: 'boolean', default: false },
      restart: { type: 'boolean', default: false },
      timeline: { type: 'boolean', default: false },
      latency: { type: 'string', default: '0' },
    },
  });
  const sessions = Number(values.sessions);
  const seed = Number(values.seed);
  const work = mkdtempSync(join(tmpdir(), 'idse-bench-app-'));
  try {
    await bench(work, sessions, seed, {
      warm: !values.cold,
      restart: values.restart,
      timeline: values.timeline,
      latencyMs: Number(values.latency),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function bench(
  work: string,
  sessions: number,
  seed: number,
  {
    warm,
    restart,
    timeline,
    latencyMs,
  }: { warm: boolean; restart: boolean; timeline: boolean; latencyMs: number },
): Promise<void> {
  const repoDir = join(work, 'repo');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
  execFileSync('git', ['init', '-q', '-b', 'main', repoDir]);
  git('config', 'user.email', 'bench@example.com');
  git('config', 'user.name', 'Bench');
  writeFileSync(join(repoDir, 'README.md'), '# A repository that is about to get its IDSE docs\n');
  git('add', '-A');
  git('commit', '-qm', 'start');
  const before = git('rev-parse', 'HEAD');
  const stats = generateCorpus({ sessions, seed, out: join(work, 'corpus') });
  cpSync(join(work, 'corpus', 'projects'), join(repoDir, 'projects'), { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'all the docs');
  const after = git('rev-parse', 'HEAD');

  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const worker = new Worker(new URL(import.meta.url), {
    workerData: {
      repoDir,
      owner: OWNER,
      repo: REPO,
      appId: APP_ID,
      installationId: INSTALLATION,
      publicKey: keys.publicKey,
      latencyMs,
    } satisfies StandinOptions,
  });
  const ask = <T>(message: string) =>
    new Promise<T>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(message);
    });
  const { host } = await new Promise<{ host: string }>((resolve) => worker.once('message', resolve));

  const logs: Array<{
    level: number;
    msg: string;
    timings?: Timings;
    facts?: FactsSources;
  }> = [];
  const config = appConfigFromEnv({
    APP_ID: String(APP_ID),
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: host,
    GHE_PROTOCOL: 'http',
  });
  const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  // The store outlives the App's instances: what one parsed, the next one reads.
  const store: Store | undefined = restart
    ? await openStore({ env: { IDSE_DATA_DIR: join(work, 'data'), ...process.env }, cwd: work })
    : undefined;
  /** An App as `idse app` starts it: its facts over the store, or in memory only. */
  const startApp = async (facts: TieredFactsCache) => {
    const app = await createAppServer({ ...config.server, log, app: { facts } });
    const { port } = await app.listen(0, '127.0.0.1');
    if (warm) await app.idse.warm();
    return { app, port };
  };
  const requests = recordRequests();
  let { app, port } = await startApp(new TieredFactsCache(store));

  const push = async (from: string, to: string) => {
    logs.length = 0;
    requests.length = 0;
    const body = JSON.stringify(pushPayload(from, to));
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}${app.webhookPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    const acknowledged = performance.now() - started;
    if (response.status !== 200)
      throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    await app.idse.idle();
    const total = performance.now() - started;
    const report = await ask<StandinReport>('report');
    await ask('reset');
    const done = logs.find((l) => l.timings);
    const steps = requests
      .filter((r) => r.start >= started)
      .map((r) => ({ ...r, start: r.start - started, end: r.end - started }));
    return { acknowledged, total, report, timings: done?.timings, facts: done?.facts, steps };
  };
  /** Stops the App and starts a new one: what a deploy or a crash does. */
  const restartApp = async (facts: TieredFactsCache) => {
    await app.close();
    ({ app, port } = await startApp(facts));
  };

  const large = await push(before, after);
  // A second push touching one session of the now large repository.
  const session = git('ls-tree', '-d', '--name-only', 'HEAD', 'projects/').split('\n')[0]!;
  const sessionDirs = git('ls-tree', '-d', '--name-only', `HEAD:${session}/sessions`).split('\n');
  const intent = join(repoDir, session, 'sessions', sessionDirs[0]!, 'intents', 'intent.md');
  writeFileSync(intent, `${readFileSync(intent, 'utf8')}\nOne more line of context.\n`);
  git('commit', '-qam', 'one session');
  const small = await push(after, git('rev-parse', 'HEAD'));
  const restarted = [];
  if (store) {
    await restartApp(new TieredFactsCache());
    const memoryOnly = await push(before, after);
    restarted.push(
      summarize(`after a restart, the ${stats.docs} docs again, facts in memory only`, memoryOnly),
    );
    await restartApp(new TieredFactsCache(store));
    const stored = await push(before, after);
    restarted.push(
      summarize(`after a restart, the ${stats.docs} docs again, facts in the ${store.backend} store`, stored),
    );
  }

  await app.close();
  await store?.close();
  await ask('close');
  await worker.terminate();

  const rows = [
    summarize(`push of ${stats.docs} docs (${stats.sessions} sessions)`, large),
    summarize('push touching 1 session (same repository)', small),
    ...restarted,
  ];
  const problems = rows.flatMap((r) => r.violations);
  console.log(`Host: ${cpus()[0]?.model ?? 'unknown'} × ${availableParallelism()}, Node ${process.version}`);
  console.log(
    `Repository: ${stats.docs} docs, ${(stats.bytes / 1e6).toFixed(1)} MB in ${stats.projects} projects\n`,
  );
  console.log(
    '| Push | Check-run writes (limit) | Token | Trees | Compare | Tarball | Blobs | Other | Acked in | Handled in |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r.line);
  console.log('');
  for (const r of rows) {
    console.log(`${r.name}: ${r.phases}`);
    if (timeline) console.log(`${r.timeline}\n`);
  }
  const failures = [
    ...problems.map((p) => `stand-in: ${p}`),
    ...rows.flatMap((r) =>
      r.writes > r.limit ? [`${r.name}: ${r.writes} check-run writes > ${r.limit}`] : [],
    ),
    ...(large.total > 5000 ? [`the large push took ${(large.total / 1000).toFixed(2)} s (goal: < 5 s)`] : []),
    // Issue 19: after a restart, a push with nothing new parses nothing and ends within 1.5 s.
    ...restarted
      .slice(1)
      .flatMap((r) => [
        ...(r.facts?.parsed !== 0 ? [`${r.name}: ${r.facts?.parsed} docs parsed (goal: none)`] : []),
        ...(r.total > 1500 ? [`${r.name}: ${(r.total / 1000).toFixed(2)} s (goal: < 1.5 s)`] : []),
      ]),
  ];
  for (const f of failures) console.log(`MISSED: ${f}`);
  process.exitCode = problems.length ? 1 : 0;
}

function summarize(
  name: string,
  run: {
    acknowledged: number;
    total: number;
    report: StandinReport;
    timings: Timings | undefined;
    facts: FactsSources | undefined;
    steps: AppRequest[];
  },
) {
  const by = (test: (c: Omit<Call, 'body' | 'query'>) => boolean) => run.report.calls.filter(test);
  const writes = by((c) => c.route.includes('/check-runs')).length;
  const annotations = run.report.checkRuns.reduce((n, r) => n + r.annotations, 0);
  const limit = Math.ceil(annotations / 50) + 2;
  const kinds = {
    token: by((c) => c.route.includes('access_tokens')).length,
    trees: by((c) => c.route.includes('/git/trees/')).length,
    compare: by((c) => c.route.includes('/compare/')).length,
    tarball: by((c) => c.route.includes('/tarball/') || c.route.includes('/_codeload/')).length,
    blobs: by((c) => c.route.includes('/git/blobs/')).length,
  };
  const other = run.report.calls.length - writes - Object.values(kinds).reduce((a, b) => a + b, 0);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const t = run.timings;
  const check = run.report.checkRuns.map((r) => `${r.conclusion} “${r.title}”`).join(', ');
  const f = run.facts;
  const phases =
    `${t ? `result ready ${s(t.readyMs)} after the job started: reading from GitHub ${s(t.readMs)}, facts from the store ${s(t.factsMs)}, engine (parse, rules, report) ${s(t.engineMs)}; ` : ''}` +
    `${f ? `facts: ${f.memory} from memory, ${f.store} from the store, ${f.parsed} parsed; ` : ''}` +
    `${annotations} annotations; check: ${check}`;
  const line = `| ${name} | ${writes} (≤ ${limit}) | ${kinds.token} | ${kinds.trees} | ${kinds.compare} | ${kinds.tarball} | ${kinds.blobs} | ${other} | ${s(run.acknowledged)} | ${s(run.total)} |`;
  return {
    name,
    line,
    phases,
    timeline: timelineOf(run.steps),
    writes,
    limit,
    total: run.total,
    facts: f,
    violations: run.report.violations,
  };
}

/** The App's log line of a run: its result was ready `readyMs` after the job started (see validation.ts). */
interface Timings {
  readMs: number;
  factsMs: number;
  engineMs: number;
  readyMs: number;
}

/** A request the App made, with its start and end (ms, performance.now()). */
interface AppRequest {
  kind: string;
  start: number;
  end: number;
}

/**
 * The App's requests to GitHub as they happen: the App's clients call the global fetch when they
 * are created, so this wraps it before the first App starts. The bench's own webhook posts are left out.
 */
function recordRequests(): AppRequest[] {
  const requests: AppRequest[] = [];
  const fetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const start = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      const request = input instanceof Request ? input : new Request(input, init);
      const kind = requestKind(request.method, new URL(request.url).pathname);
      if (kind) requests.push({ kind, start, end: performance.now() });
    }
  };
  return requests;
}

function requestKind(method: string, path: string): string | undefined {
  if (path.startsWith('/api/github/webhooks')) return undefined;
  if (path.includes('/access_tokens')) return 'token';
  if (path.includes('/check-runs')) return method === 'POST' ? 'check-run create' : 'check-run update';
  if (path.includes('/git/trees/')) return 'tree';
  if (path.includes('/compare/')) return 'compare';
  if (path.includes('/tarball/')) return 'tarball';
  if (path.includes('/_codeload/')) return 'archive download';
  if (path.includes('/git/blobs/')) return 'blob';
  return `${method} ${path}`;
}

/** One line per run of consecutive requests of a kind: count, first start → last end, time in flight. */
function timelineOf(steps: readonly AppRequest[]): string {
  const runs: Array<{ kind: string; count: number; start: number; end: number; busy: number }> = [];
  for (const step of [...steps].sort((a, b) => a.start - b.start)) {
    const last = runs.at(-1);
    if (last?.kind === step.kind) {
      last.count++;
      last.end = Math.max(last.end, step.end);
      last.busy += step.end - step.start;
    } else
      runs.push({ kind: step.kind, count: 1, start: step.start, end: step.end, busy: step.end - step.start });
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  return runs
    .map(
      (r) =>
        `  ${s(r.start)} → ${s(r.end)}  ${r.kind}${r.count > 1 ? ` ×${r.count}` : ''} (${Math.round(r.busy)} ms in flight)`,
    )
    .join('\n');
}

/** A minimal push payload: the fields the App reads (the e2e tests use GitHub's full examples). */
function pushPayload(before: string, after: string) {
  return {
    ref: 'refs/heads/main',
    before,
    after,
    created: before === ZERO,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: '',
    commits: [],
    head_commit: null,
    repository: { id: 1, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, name: OWNER } },
    pusher: { name: 'bench' },
    installation: { id: INSTALLATION },
  };
}
