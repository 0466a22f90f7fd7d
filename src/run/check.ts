import type { Config } from '../config/schema.ts';
import type { DesignContext } from '../design/manifest.ts';
import { runRules, type ValidateResult, validate } from '../engine.ts';
import { docInputs, type FactsCache } from '../model/build.ts';
import type { SourceFile } from '../model/source.ts';
import { buildReport } from '../report/build.ts';
import type { Report } from '../report/schema.ts';
import { VERSION } from '../version.ts';
import { type FactsPool, prefetchFacts } from './facts-pool.ts';

/** What a face gathered: the files, the config that applies to them, and what the run is about. */
export interface CheckInput {
  files: readonly SourceFile[];
  config: Config;
  /** Paths a change touched: findings are limited to them and `session-boundary` applies. */
  changed?: ReadonlySet<string> | undefined;
  /** The Design Sandbox manifest the config names, loaded by the face. */
  design?: DesignContext | undefined;
}

/** How a face runs the engine and what its report says. */
export interface CheckOptions {
  /** What the report names as its root: a folder, or `owner/repo@sha`. */
  label: string;
  /** Facts of docs by content hash, kept between runs by the face. */
  facts?: FactsCache | undefined;
  /** A server's long-lived pool; without one, a pool for this run only (see prefetchFacts). */
  workers?: Pick<FactsPool, 'prefetch'> | undefined;
  /** Workspace-relative folders asked about: findings outside them are dropped, the report lists what is inside. */
  focus?: readonly string[] | undefined;
  /** The git ref the change set was taken from, named in the report's scope. */
  changedSince?: string | undefined;
  /**
   * The App's check run: the report shows each touched session whole (every finding), while
   * `diagnostics` keep only the findings in the changed files, which the run is judged on.
   */
  wholeSessions?: boolean | undefined;
  /** Told what is being done (parsing n docs, checking), for a progress line. */
  progress?: ((text: string) => void) | undefined;
}

/** The engine's answer: the workspace model, the findings the run is judged on, and the report. */
export interface Checked extends ValidateResult {
  report: Report;
}

/**
 * The one engine run every face makes: facts for the docs (cache, then workers), the rules, the
 * report stamped with this version. Faces gather input before and present the result after.
 */
export async function check(input: CheckInput, options: CheckOptions): Promise<Checked> {
  const { files, config, changed, design } = input;
  const docs = docInputs(files, config);
  options.progress?.(`parsing ${docs.length.toLocaleString('en')} docs`);
  const prefetch = options.workers ? options.workers.prefetch.bind(options.workers) : prefetchFacts;
  const facts = await prefetch(docs, config, options.facts);
  options.progress?.('checking the rules');
  const context = { config, ...(design ? { design } : {}) };
  const { workspace, diagnostics: found } = validate({
    files,
    facts,
    ...context,
    ...(changed ? { changed } : {}),
  });
  const { focus } = options;
  const diagnostics = focus
    ? found.filter((d) => focus.some((f) => f === '' || d.file === f || d.file.startsWith(`${f}/`)))
    : found;
  const report =
    options.wholeSessions && changed
      ? buildReport({ workspace, diagnostics: runRules(workspace, context) }, config, options.label, VERSION)
      : buildReport({ workspace, diagnostics }, config, options.label, VERSION, {
          ...(focus ? { paths: focus } : {}),
          ...(changed ? { changed } : {}),
          ...(options.changedSince ? { changedSince: options.changedSince } : {}),
        });
  return { workspace, diagnostics, report };
}
