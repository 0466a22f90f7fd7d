/**
 * Times the bundled GitHub Action as a runner runs it, with its facts cache going through a local
 * stand-in of the Actions cache service, against the read floor and the CLI on the same corpus:
 *   npm run build && node bench/action.ts [--sessions 270] [--runs 3] [--warmup 1] [--bundle action/dist/index.js] [--cli dist/cli.js]
 * Each run is a fresh child process; figures are medians. Results: stdout (markdown) and bench/.out/action.json.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CacheStandin, startCacheStandin } from '../test/helpers/cache-standin.ts';
import { type Bench, benches, CheckFailed, idseReport } from './lib/benches.ts';
import { CORPUS, ensureCorpus } from './lib/corpus.ts';
import { type Command, GNU_TIME, measure, type RunResult } from './lib/measure.ts';
import { type Phase, phaseTable, phaseTimes } from './lib/phases.ts';
import { exitFailed, integerOption, log } from './lib/report-failure.ts';
import { type BenchResult, machine, markdown, ratio, toResult } from './lib/results.ts';
import { changeOneDoc, defaultInputs, freshJob, makeCheckout } from './lib/runner.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', '.out');
const WORK = join(OUT, 'action');
const CHECKOUT = join(WORK, 'checkout');

function options() {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '270' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      bundle: { type: 'string', default: join(ROOT, 'action', 'dist', 'index.js') },
      cli: { type: 'string', default: join(ROOT, 'dist', 'cli.js') },
    },
  });
  const int = (name: string, value: string, min: number): number => integerOption(name, value, min, usage);
  return {
    sessions: int('sessions', values.sessions, 1),
    runs: int('runs', values.runs, 1),
    warmup: int('warmup', values.warmup, 0),
    bundle: resolve(values.bundle),
    cli: resolve(values.cli),
  };
}

function usage(problem: string): never {
  log(`action: ${problem}`);
  log(
    'usage: node bench/action.ts [--sessions N] [--runs N] [--warmup N] [--bundle action/dist/index.js] [--cli dist/cli.js]',
  );
  process.exit(2);
}

/**
 * Where the one-doc-change run spends its time: each phase ends with a line the action or the
 * toolkit prints (the toolkit's `::debug::` lines reach stdout whether or not step debug is on).
 */
const PHASES: Phase[] = [
  { name: 'start-up: Node, the bundle, inputs', endsAt: /^::debug::Cache service version/ },
  { name: 'restore: `zstd --version`, entry look-up', endsAt: /^Cache hit for/ },
  { name: 'restore: download', endsAt: /^Cache Size:/ },
  { name: 'restore: tar + unzstd', endsAt: /^Cache restored successfully/ },
  { name: 'restore: keys of the restored facts', endsAt: /^::debug::idse: restored facts hold/ },
  { name: 'check (src/run: read, facts, rules, report)', endsAt: /^::debug::idse: checked/ },
  { name: 'keys of the new facts', endsAt: /^idse: \d+ docs parsed/ },
  { name: 'save: `zstd --version`, tar + zstd', endsAt: /^::debug::Reserving Cache/ },
  { name: 'save: reserve, upload, finalise', endsAt: /^idse: facts cache saved as/ },
  { name: 'log, annotations, summary, outputs, exit' },
];

const COUNTS =
  /^idse: (\d+) docs parsed, (\d+) from the facts cache \((?:restored \S+|nothing to restore)\)$/m;

/** The action ran through the cache as expected: what it parsed and took from the cache, and whether it saved. */
function cacheCheck(expect: { parsed: (docs: number) => number; saved: boolean }) {
  return (last: RunResult, docs: number): Record<string, unknown> => {
    const failed = /^::(?:warning|error)::Failed to (?:restore|save).*/m.exec(last.stdout);
    if (failed) throw new CheckFailed(`the cache service failed: ${failed[0]}`);
    const counts = COUNTS.exec(last.stdout);
    if (!counts) throw new CheckFailed('the action printed no "docs parsed" line: was the cache on?');
    const [parsed, cached] = [Number(counts[1]), Number(counts[2])];
    if (parsed !== expect.parsed(docs) || parsed + cached !== docs)
      throw new CheckFailed(`${counts[0]}: expected ${expect.parsed(docs)} of ${docs} docs parsed`);
    const saved = /^idse: facts cache saved as /m.test(last.stdout);
    if (saved !== expect.saved) throw new CheckFailed(`facts ${saved ? 'saved' : 'not saved'}, unexpectedly`);
    return { exitCode: last.code, parsed, cached, saved };
  };
}

interface Row {
  bench: Bench;
  /** Sets up each run, untimed, and says what to run. */
  next: () => Command | Promise<Command>;
}

/** The service outlives the runs it serves: a cold run replaces it with an empty one. */
interface Service {
  standin?: CacheStandin;
}

function rows(opts: ReturnType<typeof options>, service: Service, doc: string): Row[] {
  const node = process.execPath;
  // validate.ts's (a) and (c), relettered for this table.
  const [floor, warm] = [
    ['read-floor', 'a'],
    ['idse-warm', 'b'],
  ].map(([id, letter]) => {
    const bench = benches({ root: ROOT, corpus: CORPUS, cli: opts.cli, cacheDir: join(WORK, 'cli-cache') });
    return { ...bench.find((b) => b.id === id)!, letter: letter! };
  });
  const inputs = defaultInputs(join(ROOT, 'action', 'action.yml'));
  const bundle = relative(ROOT, opts.bundle);
  let changes = 0;
  const job = (): NodeJS.ProcessEnv =>
    freshJob({ checkout: CHECKOUT, dir: join(WORK, 'runner'), service: service.standin!.env, inputs });
  const action = (
    letter: string,
    id: string,
    title: string,
    expect: Parameters<typeof cacheCheck>[0],
  ): Bench => ({
    id,
    letter,
    title,
    display: `node ${bundle} (inputs: action.yml's defaults)`,
    argv: [node, opts.bundle],
    cwd: CHECKOUT,
    okCodes: [0, 1],
    startup: false,
    check: cacheCheck(expect),
  });
  const cliOneDoc: Bench = {
    id: 'idse-one-doc',
    letter: 'c',
    title: 'idse validate, warm facts cache, one doc changed',
    display: `node ${relative(ROOT, opts.cli)} validate <checkout> --format json`,
    argv: [node, opts.cli, 'validate', CHECKOUT, '--format', 'json'],
    cwd: ROOT,
    env: { ...process.env, IDSE_CACHE_DIR: join(WORK, 'cli-cache') },
    okCodes: [0, 1],
    startup: false,
    warms: true,
    check: idseReport,
  };
  const cold = action('d', 'action-cold', 'Action, first run (empty cache)', {
    parsed: (docs) => docs,
    saved: true,
  });
  const oneDoc = action('e', 'action-one-doc', 'Action, second run after a one-doc change', {
    parsed: () => 1,
    saved: true,
  });
  const unchanged = action('f', 'action-unchanged', 'Action, second run, nothing changed', {
    parsed: () => 0,
    saved: false,
  });
  return [
    { bench: floor!, next: () => floor! },
    { bench: warm!, next: () => warm! },
    {
      bench: cliOneDoc,
      next: () => {
        changeOneDoc(CHECKOUT, doc, ++changes);
        return cliOneDoc;
      },
    },
    {
      bench: cold,
      next: async () => {
        await service.standin?.close();
        service.standin = await startCacheStandin();
        return { ...cold, env: job() };
      },
    },
    {
      bench: oneDoc,
      next: () => {
        changeOneDoc(CHECKOUT, doc, ++changes);
        return { ...oneDoc, env: job() };
      },
    },
    { bench: unchanged, next: () => ({ ...unchanged, env: job() }) },
  ];
}

/** The doc every change edits: the first session's intent, found rather than assumed. */
function intentDoc(checkout: string): string {
  const intents = readdirSync(join(checkout, 'projects'), { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('intents/intent.md'))
    .sort();
  if (!intents[0]) throw new CheckFailed('the corpus has no intents/intent.md');
  return join('projects', intents[0]);
}

async function main(): Promise<void> {
  const opts = options();
  log(`node ${process.version} (${process.execPath})`);
  if (Number(process.versions.node.split('.')[0]) < 24)
    usage('run with Node 24 or later (put it first on PATH)');
  if (!existsSync(GNU_TIME)) usage(`${GNU_TIME} (GNU time) is needed for CPU time and peak RSS`);
  for (const [file, how] of [
    [opts.bundle, 'npm run build:action'],
    [opts.cli, 'npm run build'],
  ] as const) {
    if (!existsSync(file)) usage(`${file} is missing: run \`${how}\` first`);
  }
  const corpus = ensureCorpus(ROOT, opts.sessions, log);
  log(`corpus: ${corpus.docs} docs, ${(corpus.bytes / 1e6).toFixed(1)} MB; making a git checkout of it…`);
  rmSync(WORK, { recursive: true, force: true });
  makeCheckout(join(ROOT, CORPUS), CHECKOUT);

  const service: Service = {};
  const results: Record<string, BenchResult> = {};
  let oneDoc: RunResult[] = [];
  try {
    for (const { bench, next } of rows(opts, service, intentDoc(CHECKOUT))) {
      const warm = bench.warms ? Math.max(1, opts.warmup) : opts.warmup;
      log(`(${bench.letter}) ${bench.title}  [${warm} warm-up + ${opts.runs} runs]`);
      bench.before?.();
      const m = await measure(next, opts.runs, warm);
      results[bench.id] = toResult(bench, m, opts.runs, bench.check?.(m.last, corpus.docs) ?? {});
      if (bench.id === 'action-one-doc') oneDoc = m.results;
    }
  } finally {
    await service.standin?.close();
  }

  const ratios = Object.fromEntries(
    Object.keys(results)
      .filter((id) => id !== 'read-floor')
      .map((id) => [`${id}/read-floor`, ratio(results, id, 'read-floor')]),
  );
  const phases = phaseTimes(PHASES, oneDoc);
  const report = {
    generatedAt: new Date().toISOString(),
    ...machine(),
    corpus,
    settings: { runs: opts.runs, warmup: opts.warmup, bundle: opts.bundle, cli: opts.cli },
    results,
    ratios,
    phases,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'action.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Node ${process.version}, ${corpus.docs} docs (${(corpus.bytes / 1e6).toFixed(1)} MB)\n`);
  console.log(markdown(Object.values(results), ratios));
  console.log(`\nWhere (e) spends its time (median of ${opts.runs} runs):\n`);
  console.log(phaseTable(phases, results['action-one-doc']!.wallMs));
  log('\nwrote bench/.out/action.json');
}

main().catch((error: unknown) => exitFailed('action', error));
