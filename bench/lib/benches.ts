import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command, RunResult } from './measure.ts';

export interface Paths {
  root: string;
  /** Corpus folder relative to root, as a user would type it. */
  corpus: string;
  cli: string;
  cacheDir: string;
}

export interface Bench extends Command {
  id: string;
  letter: string;
  title: string;
  /** The command as a reader would type it, for the table. */
  display: string;
  startup: boolean;
  /** At least one untimed run is needed, even with `--warmup 0`: it is what fills the cache. */
  warms?: boolean;
  /** Clears state the benchmark must start without (the idse cache before warming it). */
  before?: () => void;
  /** Confirms the run did the work (read every doc, produced a report) and returns figures worth keeping. */
  check?: (last: RunResult, docs: number) => Record<string, unknown>;
}

export class CheckFailed extends Error {}

/** markdownlint-cli2's own entry point, run by our node rather than through npx or a `#!/usr/bin/env` shim. */
export function markdownlintBin(root: string): string {
  const dir = join(root, 'node_modules', 'markdownlint-cli2');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return join(dir, pkg.bin['markdownlint-cli2']!);
}

/**
 * rumdl's native binary from its platform package (`@rumdl/cli-<os>-<arch>`, glibc builds), run
 * directly: the package's `bin` is a Node wrapper that would add a Node start-up to a Rust tool.
 */
export function rumdlBin(root: string): string {
  return join(root, 'node_modules', '@rumdl', `cli-${process.platform}-${process.arch}`, 'rumdl');
}

export function benches(p: Paths): Bench[] {
  const node = process.execPath;
  // An isolated cache so "warm" means warmed by this script, and users' ~/.cache stays untouched.
  const env = { ...process.env, IDSE_CACHE_DIR: p.cacheDir };
  const validate = ['validate', p.corpus, '--format', 'json'];
  const cli = relative(p.root, p.cli);
  return [
    {
      id: 'read-floor',
      letter: 'a',
      title: 'Read all files (floor)',
      display: `node bench/read-all.mjs ${p.corpus}`,
      argv: [node, join(p.root, 'bench', 'read-all.mjs'), p.corpus],
      cwd: p.root,
      startup: false,
      check: (last, docs) => {
        const out = JSON.parse(last.stdout) as { files: number; bytes: number };
        if (out.files < docs) throw new CheckFailed(`read ${out.files} files, expected at least ${docs}`);
        return out;
      },
    },
    {
      id: 'idse-cold',
      letter: 'b',
      title: 'idse validate, no cache',
      display: `node ${cli} ${[...validate, '--no-cache'].join(' ')}`,
      argv: [node, p.cli, ...validate, '--no-cache'],
      cwd: p.root,
      env,
      okCodes: [0, 1],
      startup: false,
      check: idseReport,
    },
    {
      id: 'idse-warm',
      letter: 'c',
      title: 'idse validate, warm cache',
      display: `node ${cli} ${validate.join(' ')}`,
      argv: [node, p.cli, ...validate],
      cwd: p.root,
      env,
      okCodes: [0, 1],
      startup: false,
      warms: true,
      before: () => clearCache(p.cacheDir),
      check: idseReport,
    },
    {
      id: 'markdownlint',
      letter: 'd',
      title: 'markdownlint-cli2 (default rules)',
      display: `markdownlint-cli2 "${p.corpus}/**/*.md"`,
      argv: [node, markdownlintBin(p.root), `${p.corpus}/**/*.md`],
      cwd: p.root,
      okCodes: [0, 1],
      startup: false,
      check: (last, docs) => {
        const out = last.stdout + last.stderr;
        const linted = Number(/Linting: (\d+) file/.exec(out)?.[1] ?? Number.NaN);
        if (linted !== docs)
          throw new CheckFailed(`markdownlint-cli2 linted ${linted} files, expected ${docs}`);
        return { files: linted, issues: Number(/Summary: (\d+) issue/.exec(out)?.[1] ?? 0) };
      },
    },
    {
      id: 'rumdl',
      letter: 'g',
      title: 'rumdl (default rules)',
      display: `rumdl check ${p.corpus} --no-cache --no-config --respect-gitignore=false`,
      // No cache and no config, as markdownlint-cli2 runs; the corpus is git-ignored, which rumdl
      // honours by default, so it is told not to.
      argv: [rumdlBin(p.root), 'check', p.corpus, '--no-cache', '--no-config', '--respect-gitignore=false'],
      cwd: p.root,
      okCodes: [0, 1],
      startup: false,
      check: (last, docs) => {
        // "Found 12 issues in 9/40 files (3ms)", "Found 2 issues in 2 files …", "No issues found in 40 files …"
        const out = last.stdout + last.stderr;
        const linted = Number(/in (?:\d+\/)?(\d+) files? \(/.exec(out)?.[1] ?? Number.NaN);
        if (linted !== docs) throw new CheckFailed(`rumdl checked ${linted} files, expected ${docs}`);
        return { files: linted, issues: Number(/Found (\d+) issues?/.exec(out)?.[1] ?? 0) };
      },
    },
    {
      id: 'idse-version',
      letter: 'e',
      title: 'idse --version (startup)',
      display: `node ${cli} --version`,
      argv: [node, p.cli, '--version'],
      cwd: p.root,
      startup: true,
      check: (last) => {
        const version = last.stdout.trim();
        if (!/\d+\.\d+\.\d+/.test(version))
          throw new CheckFailed(`--version printed ${JSON.stringify(version)}`);
        return { version };
      },
    },
    {
      id: 'node-e-0',
      letter: 'f',
      title: 'node -e 0 (bare startup)',
      display: 'node -e 0',
      argv: [node, '-e', '0'],
      cwd: p.root,
      startup: true,
    },
  ];
}

export function idseReport(last: RunResult, docs: number): Record<string, unknown> {
  let report: { schema?: string; summary?: Record<string, number> };
  try {
    report = JSON.parse(last.stdout);
  } catch {
    throw new CheckFailed(
      `idse printed no JSON report (stdout starts ${JSON.stringify(last.stdout.slice(0, 120))})`,
    );
  }
  if (report.schema !== 'idse.report/v1' || !report.summary)
    throw new CheckFailed('not an idse.report/v1 report');
  if ((report.summary.files ?? 0) < docs) {
    throw new CheckFailed(`idse saw ${report.summary.files} files, expected at least ${docs}`);
  }
  return { exitCode: last.code, ...report.summary };
}

function clearCache(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
