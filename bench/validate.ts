/**
 * Times `idse validate` against a read-everything floor and markdownlint-cli2 on a generated corpus:
 *   npm run build && node bench/validate.ts [--sessions 1000] [--runs 3] [--only a,d] [--cli dist/cli.js]
 * Each run is a fresh child process; figures are medians. Results: stdout (markdown) and bench/.out/validate.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Bench, benches } from './lib/benches.ts';
import { CORPUS, ensureCorpus } from './lib/corpus.ts';
import { GNU_TIME, measure } from './lib/measure.ts';
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

async function run(bench: Bench, runs: number, warmup: number, docs: number): Promise<BenchResult> {
  const warm = bench.warms ? Math.max(1, warmup) : warmup;
  log(`(${bench.letter}) ${bench.display}  [${warm} warm-up + ${runs} runs]`);
  bench.before?.();
  const m = await measure(bench, runs, warm);
  const details = bench.check?.(m.last, docs) ?? {};
  return toResult(bench, m, runs, details);
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
  for (const b of selected) {
    const runs = b.startup ? opts.startupRuns : opts.runs;
    results[b.id] = await run(b, runs, opts.warmup, corpus.docs);
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
