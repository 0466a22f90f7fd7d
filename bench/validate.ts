/**
 * Times `idse validate` against a read-everything floor and markdownlint-cli2 on a generated corpus:
 *   npm run build && node bench/validate.ts [--sessions 1000] [--runs 3] [--only a,d] [--cli dist/cli.js]
 * Each run is a fresh child process; the workloads are timed in rounds, one run of each per round, so a
 * machine that drifts during the sitting moves them alike. Figures are medians. Results: stdout (markdown)
 * and bench/.out/validate.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Bench, benches } from './lib/benches.ts';
import { CORPUS, ensureCorpus } from './lib/corpus.ts';
import { GNU_TIME, type Measurement, measure, measureInterleaved } from './lib/measure.ts';
import { exitFailed, integerOption, log } from './lib/report-failure.ts';
import { type BenchResult, machine, markdown, ratios, toResult } from './lib/results.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', '.out');
const CLI = join(ROOT, 'dist', 'cli.js');

function options() {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '1000' },
      runs: { type: 'string', default: '3' },
      'startup-runs': { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      only: { type: 'string' },
      cli: { type: 'string' },
    },
  });
  const int = (name: string, value: string, min: number): number => integerOption(name, value, min, usage);
  return {
    sessions: int('sessions', values.sessions, 1),
    runs: int('runs', values.runs, 1),
    startupRuns: int('startup-runs', values['startup-runs'], 1),
    warmup: int('warmup', values.warmup, 0),
    only: values.only?.split(',').map((s) => s.trim()),
    cli: values.cli ? resolve(values.cli) : CLI,
  };
}

function usage(problem: string): never {
  log(`validate: ${problem}`);
  log(
    'usage: node bench/validate.ts [--sessions N] [--runs N] [--startup-runs N] [--warmup N] [--only a,b,…|ids] [--cli dist/cli.js]',
  );
  process.exit(2);
}

/** Warm-up runs of a benchmark: one at least where the run fills a cache. */
const warmupsOf = (bench: Bench, warmup: number): number => (bench.warms ? Math.max(1, warmup) : warmup);

function result(bench: Bench, m: Measurement, runs: number, docs: number): BenchResult {
  return toResult(bench, m, runs, bench.check?.(m.last, docs) ?? {});
}

async function main(): Promise<void> {
  const opts = options();
  log(`node ${process.version} (${process.execPath})`);
  if (Number(process.versions.node.split('.')[0]) < 24)
    usage('run with Node 24 or later (put it first on PATH)');
  if (!existsSync(GNU_TIME)) usage(`${GNU_TIME} (GNU time) is needed for peak RSS`);
  const all = benches({ root: ROOT, corpus: CORPUS, cli: opts.cli, cacheDir: join(OUT, 'cache') });
  const known = all.flatMap((b) => [b.letter, b.id]);
  const unknown = opts.only?.filter((s) => !known.includes(s)) ?? [];
  if (unknown.length > 0) usage(`unknown benchmark ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const selected = all.filter((b) => !opts.only || opts.only.includes(b.letter) || opts.only.includes(b.id));
  if (selected.some((b) => b.argv.includes(opts.cli)) && !existsSync(opts.cli)) {
    log(`${opts.cli} is missing: run \`npm run build\` first (or pick others with --only a,d,f,g).`);
    process.exit(2);
  }
  const corpus = ensureCorpus(ROOT, opts.sessions, log);
  log(`corpus: ${corpus.docs} docs, ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.projects} projects`);

  const results: Record<string, BenchResult> = {};
  // The workloads are timed in rounds, so their ratios share the machine's state; start-up runs are
  // short and many, and follow on their own.
  const workloads = selected.filter((b) => !b.startup);
  log(
    `${workloads.map((b) => `(${b.letter}) ${b.display}`).join('\n')}\n[warm-ups, then ${opts.runs} rounds of one run each]`,
  );
  const measured = await measureInterleaved(
    workloads.map((b) => ({
      cmd: b,
      runs: opts.runs,
      warmup: warmupsOf(b, opts.warmup),
      ...(b.before ? { before: b.before } : {}),
    })),
  );
  workloads.forEach((b, i) => {
    results[b.id] = result(b, measured[i]!, opts.runs, corpus.docs);
  });
  for (const b of selected.filter((s) => s.startup)) {
    log(`(${b.letter}) ${b.display}  [${warmupsOf(b, opts.warmup)} warm-up + ${opts.startupRuns} runs]`);
    results[b.id] = result(
      b,
      await measure(b, opts.startupRuns, warmupsOf(b, opts.warmup)),
      opts.startupRuns,
      corpus.docs,
    );
  }
  const r = ratios(results);
  const report = {
    generatedAt: new Date().toISOString(),
    ...machine(),
    corpus,
    settings: {
      runs: opts.runs,
      startupRuns: opts.startupRuns,
      warmup: opts.warmup,
      only: opts.only ?? null,
    },
    results,
    ratios: r,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'validate.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Node ${process.version}, ${corpus.docs} docs (${(corpus.bytes / 1e6).toFixed(1)} MB)\n`);
  console.log(markdown(Object.values(results), r));
  log('\nwrote bench/.out/validate.json');
}

main().catch((error: unknown) => exitFailed('validate', error));
