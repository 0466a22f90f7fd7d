// Runs the committed action bundle the way the GitHub runner does: `node action/dist/index.js` with
// inputs as INPUT_* variables, the event payload in a file, and file commands for outputs and summary.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { idse, tempDir } from '../../helpers/cli.ts';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const BUNDLE = join(REPO, 'action/dist/index.js');

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Parsed from the GITHUB_OUTPUT file. */
  outputs: Record<string, string>;
  /** The GITHUB_STEP_SUMMARY file. */
  summary: string;
  /** Wall-clock milliseconds of the process. */
  ms: number;
}

export interface ActionOptions {
  /** The checkout: GITHUB_WORKSPACE and the working directory. */
  checkout: string;
  /** By input name as action.yml spells it (`fail-on`); the runner adds INPUT_ and upper-cases. */
  inputs?: Record<string, string>;
  event?: { name: string; payload: unknown };
  /** Runner variables to override. */
  env?: NodeJS.ProcessEnv;
}

export function runAction({ checkout, inputs = {}, event, env: extra }: ActionOptions): ActionRun {
  const runner = tempDir('idse-runner-');
  const files = { summary: join(runner, 'step_summary.md'), output: join(runner, 'output.txt') };
  writeFileSync(files.summary, '');
  writeFileSync(files.output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: runner,
    NO_COLOR: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: checkout,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    RUNNER_TEMP: runner,
  };
  if (event) {
    const path = join(runner, 'event.json');
    writeFileSync(path, JSON.stringify(event.payload));
    Object.assign(env, { GITHUB_EVENT_NAME: event.name, GITHUB_EVENT_PATH: path });
  }
  // core.getInput: `INPUT_${name.replace(/ /g, '_').toUpperCase()}`: hyphens stay (INPUT_FAIL-ON).
  Object.assign(env, extra);
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const started = performance.now();
  const run = spawnSync(process.execPath, [BUNDLE], { cwd: checkout, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    ms,
  };
}

/** The file-command format @actions/core writes: `name<<delimiter\nvalue\ndelimiter\n`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [, name, , value] of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm)) {
    outputs[name!] = value!;
  }
  return outputs;
}

export const workflowCommands = (stdout: string, command: string): string[] =>
  stdout.split('\n').filter((line) => line.startsWith(`::${command} `) || line.startsWith(`::${command}::`));

// ---- workspaces -------------------------------------------------------------------------------------

export const SESSION = 'projects/demo/sessions/kickoff';

/** `idse init demo` in `dir`: a session whose unresolved markers are errors (intent) and warnings. */
export async function scaffold(dir: string, project = 'demo'): Promise<void> {
  const init = await idse(['init', project], { cwd: dir });
  if (init.code !== 0) throw new Error(`idse init failed: ${init.stderr}`);
}

/** Answers every marker of a session, which leaves it without findings. */
export function answerMarkers(dir: string, session = SESSION): void {
  for (const entry of readdirSync(join(dir, session), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const file = join(entry.parentPath, entry.name);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replaceAll('[REQUIRES INPUT]', 'Decided and written down'),
    );
  }
}

export interface CliDiagnostic {
  code: string;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  range?: { start: { line: number; column: number }; end: { line: number; column: number } };
}
export interface CliReport {
  summary: { files: number; sessions: number; errors: number; warnings: number; infos: number };
  diagnostics: CliDiagnostic[];
}

/** What the CLI reports for the same workspace: the oracle the action's outputs must agree with. */
export async function cliReport(dir: string, args: string[] = []): Promise<CliReport> {
  const run = await idse(['validate', '--no-cache', '--format', 'json', ...args], { cwd: dir });
  if (run.code === 2) throw new Error(`idse validate failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as CliReport;
}

// ---- git ----------------------------------------------------------------------------------------------

// The user's and the machine's git config must not change what the real git CLI does here.
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
}

export function commitAll(cwd: string, message: string): string {
  git(cwd, ['add', '-A']);
  git(cwd, ['-c', 'user.email=a@b', '-c', 'user.name=t', 'commit', '-q', '-m', message]);
  return git(cwd, ['rev-parse', 'HEAD']);
}

// ---- events -------------------------------------------------------------------------------------------

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

let definitions: WebhookDefinition[] | undefined;

/** A real payload from @octokit/webhooks-examples (deep-copied, so tests can patch it). */
export function examplePayload(
  name: 'push' | 'pull_request',
  pick: (example: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  definitions ??= JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('@octokit/webhooks-examples'), 'utf8'),
  ) as WebhookDefinition[];
  const example = definitions.find((d) => d.name === name)?.examples.find(pick);
  if (!example) throw new Error(`no ${name} example matches`);
  return structuredClone(example);
}
