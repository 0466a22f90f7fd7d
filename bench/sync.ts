/**
 * `idse sync push` against a local Agency Core:
 *   node bench/sync.ts [--sessions 112] [--seed 1] [--store pglite|postgres] [--runs 5]
 *     [--pg postgresql://postgres@127.0.0.1:5432/postgres]
 * Generates a corpus (112 sessions ≈ 1,000 docs) as one project of a git repository, starts the App
 * with the sync gateway on a real port (store: an embedded PGlite in a temp folder, or a throw-away
 * database on the real Postgres), and runs the real CLI as a child process:
 *   1. the first push of every doc (goal: a few seconds);
 *   2. the same push again, --runs times: nothing changed (goal: < 1 s, no document content sent);
 *   3. a push after a commit that edits one doc.
 * Times are the CLI process's wall time, start to exit (dist/cli.js when built, else the sources).
 * Prints a table, writes bench/.out/sync.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { createAppServer } from '../src/app/server.ts';
import { generateApiKey } from '../src/auth/keys.ts';
import { TokenIssuer } from '../src/auth/tokens.ts';
import { createSyncGateway } from '../src/gateway/index.ts';
import { openPgliteStore } from '../src/store/backends/pglite.ts';
import { openPostgresStore } from '../src/store/backends/postgres.ts';
import type { Store } from '../src/store/store.ts';
import { generateCorpus } from './generate-corpus.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(import.meta.dirname, '.out');
const PROJECT = 'bench';
// The CLI users run (the bundle, after `npm run build`); the sources when there is no build.
const CLI = existsSync(join(ROOT, 'dist/cli.js')) ? join(ROOT, 'dist/cli.js') : join(ROOT, 'cli/main.ts');

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '112' },
    seed: { type: 'string', default: '1' },
    store: { type: 'string', default: 'pglite' },
    runs: { type: 'string', default: '5' },
    pg: {
      type: 'string',
      default: process.env.IDSE_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    },
  },
});

interface PushReport {
  status: string;
  accepted: string[];
  unchanged: number;
  requests: number;
  bytes_sent: number;
  content_bytes: number;
  findings?: { errors: number; warnings: number; sessions: number };
}

const work = mkdtempSync(join(tmpdir(), 'idse-bench-sync-'));
const dropDatabase: Array<() => Promise<void>> = [];
try {
  await bench();
} finally {
  for (const drop of dropDatabase) await drop();
  rmSync(work, { recursive: true, force: true });
}

async function bench(): Promise<void> {
  const repo = join(work, 'repo');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const stats = corpusRepo(repo, Number(values.sessions), Number(values.seed));
  const docs = git('ls-files').split('\n').length;

  const store = await openBenchStore(values.store);
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const gateway = createSyncGateway({ store, tokens: TokenIssuer.fromPrivateKey(privateKey) });
  const app = await createAppServer({
    appId: 1,
    privateKey,
    webhookSecret: 'bench',
    log: pino({ level: 'silent' }),
    routes: [gateway],
  });
  const { port } = await app.listen(0, '127.0.0.1');
  // As `idse app` does at start.
  await gateway.warm();
  const { client_id } = await store.createClient({ name: `bench-${randomBytes(3).toString('hex')}` });
  const key = generateApiKey('sync');
  await store.createApiKey({
    client_id,
    project: PROJECT,
    scope: 'sync',
    key_prefix: key.prefix,
    key_hash: key.hash,
  });

  const push = async () => {
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'sync', 'push', '--json'], {
      cwd: repo,
      env: {
        ...process.env,
        IDSE_AGENCY_URL: `http://127.0.0.1:${port}`,
        IDSE_API_KEY: key.key,
        NO_COLOR: '1',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ms: performance.now() - started, report: JSON.parse(stdout) as PushReport };
  };

  const first = await push();
  const repeats = [];
  for (let i = 0; i < Number(values.runs); i++) repeats.push(await push());
  const session = readdirSync(join(repo, 'projects', PROJECT, 'sessions'))[0]!;
  const intent = join(repo, 'projects', PROJECT, 'sessions', session, 'intents', 'intent.md');
  writeFileSync(intent, `${readFileSync(intent, 'utf8')}\nOne more line of context.\n`);
  git('commit', '-qam', 'one doc');
  const oneDoc = await push();

  await app.close();
  await gateway.close();
  await store.close();

  const times = repeats.map((r) => r.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  const row = (name: string, r: { ms: number; report: PushReport }, time = s(r.ms)) =>
    `| ${name} | ${r.report.status} | ${r.report.accepted.length} | ${r.report.unchanged} | ${r.report.requests} | ${kb(r.report.bytes_sent)} | ${kb(r.report.content_bytes)} | ${time} |`;
  console.log(
    `Host: ${cpus()[0]?.model ?? 'unknown'} × ${availableParallelism()}, Node ${process.version}, store ${store.backend}, CLI ${CLI.slice(ROOT.length + 1)}`,
  );
  console.log(
    `Repository: ${docs} files (${stats.docs} docs, ${(stats.bytes / 1e6).toFixed(1)} MB), one project\n`,
  );
  console.log('| Push | Status | Accepted | Unchanged | Requests | Sent | Content sent | Time |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(row('first push', first));
  console.log(
    row(
      `same commit again (median of ${times.length})`,
      repeats[0]!,
      `${s(median)} (max ${s(times.at(-1)!)})`,
    ),
  );
  console.log(row('after a commit editing 1 doc', oneDoc));
  if (first.report.findings) {
    const f = first.report.findings;
    console.log(
      `\nFirst push: ${f.errors} errors, ${f.warnings} warnings in ${f.sessions} sessions (the corpus has defects on purpose)`,
    );
  }
  const missed = [
    ...(first.ms > 5000 ? [`the first push took ${s(first.ms)} (goal: a few seconds)`] : []),
    ...(median > 1000 ? [`a push with nothing new took ${s(median)} (goal: < 1 s)`] : []),
    ...(repeats.some((r) => r.report.content_bytes > 0) ? ['a push with nothing new sent content'] : []),
  ];
  for (const m of missed) console.log(`MISSED: ${m}`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    join(OUT, 'sync.json'),
    `${JSON.stringify({ store: store.backend, files: docs, first, repeats, oneDoc, missed }, null, 2)}\n`,
  );
  process.exitCode = missed.length ? 1 : 0;
}

/** The generated corpus as one project (all sessions under projects/bench), committed. */
function corpusRepo(repo: string, sessions: number, seed: number) {
  const corpus = join(work, 'corpus');
  const stats = generateCorpus({ sessions, seed, out: corpus });
  const target = join(repo, 'projects', PROJECT, 'sessions');
  mkdirSync(target, { recursive: true });
  for (const project of readdirSync(join(corpus, 'projects'))) {
    for (const session of readdirSync(join(corpus, 'projects', project, 'sessions'))) {
      cpSync(join(corpus, 'projects', project, 'sessions', session), join(target, `${project}-${session}`), {
        recursive: true,
      });
    }
  }
  writeFileSync(join(repo, 'projects', PROJECT, 'CURRENT_SESSION'), `${readdirSync(target)[0]}\n`);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=b', 'add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=b', 'commit', '-qm', 'docs'], {
    cwd: repo,
  });
  execFileSync('git', ['config', 'user.email', 'b@example.com'], { cwd: repo });
  execFileSync('git', ['config', 'user.name', 'b'], { cwd: repo });
  return stats;
}

async function openBenchStore(backend: string | undefined): Promise<Store> {
  if (backend === 'postgres') {
    const name = `idse_bench_${randomBytes(6).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: values.pg });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await admin(`create database ${name}`);
    dropDatabase.push(() => admin(`drop database if exists ${name} with (force)`));
    const url = new URL(values.pg!);
    url.pathname = `/${name}`;
    return openPostgresStore({ connectionString: url.toString() });
  }
  return openPgliteStore({ dataDir: join(work, 'pglite') });
}
