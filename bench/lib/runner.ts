/**
 * A GitHub runner as the bundled action sees it, on this machine: a git checkout of the corpus,
 * a fresh RUNNER_TEMP and file-command files per job, and the inputs the runner passes.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// The user's and the machine's git config must not change what git does here.
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]): void => {
  execFileSync('git', args, { cwd, env: GIT_ENV, stdio: 'ignore' });
};
const commit = (cwd: string, message: string): void => {
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.email=bench@idse', '-c', 'user.name=bench', 'commit', '-q', '-m', message);
};

/** The corpus as actions/checkout leaves it: one commit, the docs and a .git folder. */
export function makeCheckout(corpus: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(corpus, dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  commit(dir, 'corpus');
}

/** A push that edits one doc; every call writes content no earlier run has seen. */
export function changeOneDoc(checkout: string, doc: string, n: number): void {
  appendFileSync(join(checkout, doc), `\nRevised by bench run ${n}.\n`);
  commit(checkout, `bench change ${n}`);
}

/**
 * The runner passes every input that has a default in action.yml as INPUT_<NAME> (upper-cased,
 * spaces to underscores, hyphens kept), so a workflow step without `with:` sees exactly these.
 */
export function defaultInputs(actionYml: string): Record<string, string> {
  const { inputs } = parse(readFileSync(actionYml, 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, String(input.default)]),
  );
}

export interface Job {
  checkout: string;
  /** Where the job's temp dir, home and file-command files go; emptied for every job. */
  dir: string;
  /** The cache service's variables (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN, …). */
  service: NodeJS.ProcessEnv;
  inputs: Record<string, string>;
}

/**
 * The environment of a fresh job: an empty RUNNER_TEMP, as on a new hosted runner, so the facts of
 * earlier runs can only come through the cache service. RUNNER_TEMP's path stays the same, as on
 * hosted runners: the toolkit versions cache entries by the paths they hold.
 */
export function freshJob({ checkout, dir, service, inputs }: Job): NodeJS.ProcessEnv {
  rmSync(dir, { recursive: true, force: true });
  const temp = join(dir, 'temp');
  const home = join(dir, 'home');
  const files = join(dir, 'files');
  for (const d of [temp, home, files]) mkdirSync(d, { recursive: true });
  const output = join(files, 'output');
  const summary = join(files, 'step_summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return {
    PATH: process.env.PATH,
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: checkout,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: temp,
    ...service,
    ...inputs,
  };
}
