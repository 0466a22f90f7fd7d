import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../config/load.ts';
import type { Config, Profile } from '../config/schema.ts';
import type { DesignContext } from '../design/manifest.ts';
import { IdseError } from '../errors.ts';
import { factsSuffice } from '../model/layout.ts';
import type { SourceFile } from '../model/source.ts';
import type { Report } from '../report/schema.ts';
import { VERSION } from '../version.ts';
import type { Checked, CheckOptions } from './check.ts';
import { cacheFile, FileFactsCache } from './facts-cache.ts';
import type { FactsPool } from './facts-pool.ts';
import { ProjectMemo, RunMemo, runKey } from './run-memo.ts';
import { readWorkspaceFiles, rereadFiles } from './sources/fs.ts';

export interface WorkspaceOptions {
  cwd: string;
  root?: string | undefined;
  config?: string | undefined;
  paths?: string[] | undefined;
  cache?: boolean | undefined;
  /**
   * Keep the run memo (see RunMemo); on with the cache. Off where the cache dir cannot outlive the
   * job (the Action's RUNNER_TEMP): the memo would hash every file and write the report for nothing.
   */
  memo?: boolean | undefined;
  /** Validate only what changed since this git ref. */
  changedSince?: string | undefined;
  /** Overrides the config's `profile` (`--profile`). */
  profile?: Profile | undefined;
  /**
   * Refuse a run that finds no session (`idse validate`, the Action): exit 2 with "no IDSE sessions
   * found", unless the config sets `allowEmptyWorkspace`.
   */
  requireSessions?: boolean | undefined;
  /** Where caches live comes from here (IDSE_CACHE_DIR, XDG_CACHE_HOME). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Told what is being done (reading, parsing n docs, checking), for a progress line. */
  progress?: ((text: string) => void) | undefined;
}

export interface LoadedWorkspace extends Checked {
  root: string;
  config: Config;
  configFile?: string;
  /** Workspace-relative prefixes the user asked about; diagnostics outside them are not shown. */
  focus?: string[];
}

const toPosix = (p: string) => p.split(sep).join('/');

interface GatheredInput {
  root: string;
  config: Config;
  configFile?: string;
  focus?: string[];
  files: SourceFile[];
  readDocs: (files: readonly SourceFile[]) => SourceFile[];
  /** Whether a doc read again to be parsed had changed or gone since the walk (see rereadFiles). */
  moved: () => boolean;
  changed?: Set<string>;
  design?: DesignContext;
  /** A cold run's pool, parsing the docs the walk met first (see EarlyFacts); the run closes it. */
  workers?: FactsPool;
}

/**
 * The one way every command gathers input: find the root, load the config, read the files (whole
 * projects around the paths asked for, since cross-doc rules need them) and the git change set.
 */
async function gather(options: WorkspaceOptions): Promise<GatheredInput> {
  const root = resolveRoot(options);
  options.progress?.('reading the workspace');
  const loaded = await loadConfig(root, ruleKeys, options.config && resolve(options.cwd, options.config));
  const { file } = loaded;
  const config = options.profile ? { ...loaded.config, profile: options.profile } : loaded.config;
  // Inside a project folder with no paths given: the whole workspace is read, this folder reported.
  const paths = options.paths?.length
    ? options.paths
    : root !== options.cwd && !options.root
      ? [options.cwd]
      : undefined;
  const focus = paths?.length ? paths.map((p) => focusOf(root, resolve(options.cwd, p))) : undefined;
  // A run without facts to reuse parses every doc: it starts as the walk reaches them.
  const cold = options.cache === false || !existsSync(cacheFile(root, 'facts', 'bin', options.env));
  const early = cold ? new (await import('./early-facts.ts')).EarlyFacts(config) : undefined;
  try {
    const files = await readWorkspaceFiles(root, {
      ignore: config.ignore,
      maxFileBytes: config.maxFileBytes,
      followSymlinks: config.followSymlinks,
      ...(focus ? { paths: focus.map((f) => resolve(root, projectScope(f))) } : {}),
      // Docs are hashed as the walk meets them and read again when parsed: a run holds the bytes of
      // the docs it is parsing, not of the workspace (94 MB at 24,000 docs). A cold run keeps those
      // its workers can begin at once.
      idOnly: factsSuffice,
      taker: early,
    });
    const workers = await early?.finish();
    const changed = options.changedSince ? await changedSince(root, options.changedSince) : undefined;
    let moved = false;
    const readDocs = (docs: readonly SourceFile[]) => {
      const read = rereadFiles(root, docs);
      moved ||= read.some((f) => f.problem);
      return read;
    };
    const design = config.design
      ? await (await import('../design/load.ts')).loadDesignManifest(config.design.manifest, root)
      : undefined;
    return {
      ...(design ? { design } : {}),
      ...(workers ? { workers } : {}),
      root,
      config,
      files,
      readDocs,
      moved: () => moved,
      ...(file ? { configFile: file } : {}),
      ...(focus ? { focus } : {}),
      ...(changed ? { changed } : {}),
    };
  } catch (error) {
    // The walk or what follows failed: a pool it started must not outlive the run.
    await early?.close();
    throw error;
  }
}

/** How a command's run goes through the engine: its facts cache (unless `--no-cache`) and what it reports. */
function runOptions(input: GatheredInput, options: WorkspaceOptions) {
  const cache = options.cache === false ? undefined : FileFactsCache.forWorkspace(input.root, options.env);
  const check: CheckOptions = {
    label: input.root,
    facts: cache,
    workers: input.workers,
    focus: input.focus,
    changedSince: options.changedSince,
    progress: options.progress,
  };
  return { cache, check };
}

async function analyse(input: GatheredInput, options: WorkspaceOptions): Promise<LoadedWorkspace> {
  const { root, config, focus } = input;
  const run = runOptions(input, options);
  // The engine (parser, rules) is loaded only by runs that use it: a run the memo answers never does.
  const { check } = await import('./check.ts');
  const checked = await check(input, run.check);
  run.cache?.save();
  return {
    ...checked,
    root,
    config,
    ...(input.configFile ? { configFile: input.configFile } : {}),
    ...(focus ? { focus } : {}),
  };
}

/** analyse(), for a report only: project by project, those unchanged since the last run from its memo. */
async function analyseByProject(
  input: GatheredInput,
  options: WorkspaceOptions,
  findingsDependOn: unknown,
): Promise<Report> {
  const run = runOptions(input, options);
  const memo = run.cache && options.memo !== false ? new ProjectMemo(input.root, options.env) : undefined;
  const { checkByProject } = await import('./check.ts');
  const report = await checkByProject(input, run.check, memo, findingsDependOn);
  run.cache?.save();
  return report;
}

/** The workspace model and its diagnostics, for commands that act on sessions. */
export async function loadWorkspace(options: WorkspaceOptions): Promise<LoadedWorkspace> {
  const input = await gather(options);
  try {
    return await analyse(input, options);
  } finally {
    await input.workers?.close();
  }
}

/**
 * The report of a run, for commands that only print results. A repeated run over unchanged input
 * is answered from the last run's report (see RunMemo).
 */
export async function loadReport(options: WorkspaceOptions): Promise<{ report: Report; focus?: string[] }> {
  const input = await gather(options);
  try {
    return await reportOf(input, options);
  } finally {
    await input.workers?.close();
  }
}

async function reportOf(
  input: GatheredInput,
  options: WorkspaceOptions,
): Promise<{ report: Report; focus?: string[] }> {
  const focus = input.focus ? { focus: input.focus } : {};
  const memo =
    options.cache === false || options.memo === false ? undefined : new RunMemo(input.root, options.env);
  const findingsDependOn = [
    VERSION,
    // The rules that ran and their severities (the profile is in the config): a rule added, removed or
    // re-graded between builds of one version must not be answered with the old findings.
    await ruleset(),
    input.config,
    input.design,
  ];
  const key =
    memo && runKey(input.files, [findingsDependOn, input.root, input.focus, [...(input.changed ?? [])]]);
  const remembered = key ? memo?.get(key) : undefined;
  if (remembered) {
    if (options.requireSessions) requireSessions(remembered, input.config, options);
    return { report: remembered, ...focus };
  }
  const report = await analyseByProject(input, options, findingsDependOn);
  // A run whose docs changed under it is no one state of the workspace: shown, not remembered.
  if (memo && key && !input.moved()) memo.set(key, report);
  if (options.requireSessions) requireSessions(report, input.config, options);
  return { report, ...focus };
}

declare const __IDSE_RULESET__: unknown;

/**
 * What the rules are (see rulesetOf): fixed in a bundle when it is built, so a run the memo answers
 * never loads the rules; from the registry when running from source.
 */
async function ruleset(): Promise<unknown> {
  if (typeof __IDSE_RULESET__ !== 'undefined') return __IDSE_RULESET__;
  const { RULES, rulesetOf } = await import('../rules/registry.ts');
  return rulesetOf(RULES);
}

/** The rule codes a config file may name: loaded only when there is a config file to check. */
const ruleKeys = async () => (await import('../rules/registry.ts')).RULE_KEYS;

/** A run that checked no session is almost always aimed at the wrong folder: say so instead of passing. */
function requireSessions(report: Report, config: Config, options: WorkspaceOptions): void {
  if (report.summary.sessions > 0 || report.scope?.changedSince || config.allowEmptyWorkspace) return;
  const shown = relative(options.cwd, report.root);
  const where = report.scope?.paths?.join(', ') ?? (shown.startsWith('..') ? report.root : shown || '.');
  throw new IdseError(
    'no-sessions',
    `no IDSE sessions found under ${where} (expected projects/<project>/sessions/<session>/; set allowEmptyWorkspace: true in the config to allow this)`,
  );
}

export function resolveRoot(options: WorkspaceOptions): string {
  if (options.root) {
    const root = resolve(options.cwd, options.root);
    if (!existsSync(root)) throw new IdseError('path-not-found', `workspace root not found: ${options.root}`);
    return root;
  }
  // `idse validate ../other-repo`: a single folder outside the current one is the workspace itself.
  const [only, ...rest] = options.paths ?? [];
  if (only && rest.length === 0) {
    const abs = resolve(options.cwd, only);
    if (!existsSync(abs)) throw new IdseError('path-not-found', `path not found: ${only}`);
    if (relative(options.cwd, abs).startsWith('..') && statSync(abs).isDirectory())
      return workspaceAbove(abs) ?? abs;
  }
  return workspaceAbove(options.cwd) ?? options.cwd;
}

/**
 * Run from inside a project or session folder, the workspace is the folder holding `projects/`
 * (or `.idse/projects/`): layout, config and cross-session rules all start there.
 */
function workspaceAbove(dir: string): string | undefined {
  const parts = dir.split(sep);
  for (let i = parts.length - 2; i > 0; i--) {
    if (parts[i] !== 'projects') continue;
    const project = parts.slice(0, i + 2).join(sep);
    if (parts[i + 2] !== 'sessions' && !existsSync(join(project, 'sessions'))) continue;
    return parts.slice(0, parts[i - 1] === '.idse' ? i - 1 : i).join(sep) || sep;
  }
  return undefined;
}

function focusOf(root: string, abs: string): string {
  if (!existsSync(abs))
    throw new IdseError('path-not-found', `path not found: ${relative(process.cwd(), abs) || abs}`);
  const rel = relative(root, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new IdseError('usage', `${abs} is outside the workspace root ${root}; pass --root`);
  }
  return toPosix(rel);
}

/** Widen a path inside a project to the whole project folder: rules look across its docs. */
function projectScope(rel: string): string {
  const parts = rel.split('/');
  const i = parts.indexOf('projects');
  return i !== -1 && parts.length > i + 2 ? parts.slice(0, i + 2).join('/') : rel;
}

async function changedSince(root: string, base: string): Promise<Set<string>> {
  // isomorphic-git is loaded only by runs that ask git something.
  const { changedPaths, findGitRoot } = await import('./sources/git.ts');
  const gitRoot = await findGitRoot(root);
  if (!gitRoot) throw new IdseError('git-failed', `--changed needs a git repository; ${root} is not in one`);
  const changed = await changedPaths({ dir: gitRoot, base });
  const prefix = toPosix(relative(gitRoot, root));
  const inRoot = new Set<string>();
  for (const path of changed) {
    if (!prefix) inRoot.add(path);
    else if (path.startsWith(`${prefix}/`)) inRoot.add(path.slice(prefix.length + 1));
  }
  return inRoot;
}
