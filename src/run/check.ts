import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { DesignContext } from '../design/manifest.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { runRules, type ValidateResult, validate } from '../engine.ts';
import { docInputs } from '../model/build.ts';
import { type FactsCache, factsKeyOf, factsSettingsOf } from '../model/facts-key.ts';
import { classifyPath } from '../model/layout.ts';
import type { SourceFile } from '../model/source.ts';
import { assembleReport, buildReport, type ReportPart, reportPart } from '../report/build.ts';
import type { Report } from '../report/schema.ts';
import { VERSION } from '../version.ts';
import { FactsPool, INLINE_BELOW, prefetchFacts } from './facts-pool.ts';
import { type ProjectMemo, runKey } from './run-memo.ts';

/** What a face gathered: the files, the config that applies to them, and what the run is about. */
export interface CheckInput {
  files: readonly SourceFile[];
  config: Config;
  /** Paths a change touched: findings are limited to them and `session-boundary` applies. */
  changed?: ReadonlySet<string> | undefined;
  /** The Design Sandbox manifest the config names, loaded by the face. */
  design?: DesignContext | undefined;
  /**
   * Reads docs the source named by blob id only (`oid`, no `content`), when their facts must be
   * computed. Without it, such docs must have their facts in the cache.
   */
  readDocs?: ((files: readonly SourceFile[]) => SourceFile[]) | undefined;
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
  const { config, changed, design } = input;
  const files = withDocBytes(input.files, input, options.facts);
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
  const diagnostics = focus ? found.filter(inFocus(focus)) : found;
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

/** Whether a finding is about a path inside the folders asked about. */
const inFocus =
  (focus: readonly string[]) =>
  (d: Diagnostic): boolean =>
    focus.some((f) => f === '' || d.file === f || d.file.startsWith(`${f}/`));

/**
 * The report check() gives for a whole workspace, checked project by project. Projects whose input
 * is unchanged since the memo's run are taken from it: facts and rules run only for the others. A
 * project's findings depend on its own files, the paths of all the others (links lead anywhere) and
 * what `settings` names (the tool, its rules, the config); a change set spans projects
 * (session-boundary), so a run over one goes through check(). Projects are parsed in batches, each
 * checked while the workers parse the next, and its facts let go once its findings are in: memory
 * holds a batch's facts, not the workspace's.
 */
export async function checkByProject(
  input: CheckInput,
  options: CheckOptions,
  memo: ProjectMemo | undefined,
  settings: unknown,
): Promise<Report> {
  if (input.changed) return (await check(input, options)).report;
  const { files, config, design } = input;
  const paths = new Set(files.map((f) => f.path));
  // Only a memo needs keys: a run without one hashes no paths or files for them.
  const everyPath =
    memo &&
    createHash('sha1')
      .update([...paths].join('\0'))
      .digest('base64url');
  // A doc is named by its facts key (its blob id), which the facts step computes again from the same id.
  const factsSettings = factsSettingsOf(config);
  const docKey = (f: SourceFile) => (isDoc(f) ? factsKeyOf(f, factsSettings) : undefined);
  const parts = new Map<string, { key: string; part: ReportPart }>();
  const missing: Project[] = [];
  // A doc that changed or went between the walk and its parse makes the run's input no one state of
  // the workspace: its report is shown, not remembered.
  let moved = false;
  for (const [dir, group] of byProject(files)) {
    const docs = group.filter(isDoc);
    const key = memo ? runKey(group, [settings, everyPath], (f) => docKey(f) ?? f.content) : '';
    const remembered = memo?.get(dir, key);
    parts.set(dir, { key, part: remembered ?? EMPTY_PART });
    if (!remembered) missing.push({ dir, key, files: group, docs: docs.length });
    else for (const doc of docs) options.facts?.retain?.(factsKeyOf(doc, factsSettings));
  }
  if (missing.length > 0) {
    const count = missing.reduce((n, p) => n + p.docs, 0);
    options.progress?.(`parsing ${count.toLocaleString('en')} docs`);
    // The inline threshold is the run's, not a batch's: a last small batch must not leave the workers idle.
    const own = options.workers
      ? undefined
      : new FactsPool({ inlineBelow: count < INLINE_BELOW ? INLINE_BELOW : 0 });
    const pool = options.workers ?? own!;
    // A batch's files are read (see withDocBytes) as it goes to the workers and let go once checked.
    const prefetch = async (batch: readonly Project[]) => {
      const read = batch.map((p) => withDocBytes(p.files, input, options.facts));
      const facts = await pool.prefetch(
        read.flatMap((f) => docInputs(f, config)),
        config,
        options.facts,
      );
      return { facts, read };
    };
    const batches = inBatches(missing);
    // Two batches in flight: the workers go on to the next one while this thread reads its docs and
    // checks the last. A parse that fails before it is awaited is not an unhandled rejection: its
    // error comes when the loop reaches it (or the run has already failed).
    const start = (batch: readonly Project[]) => {
      const parsing = prefetch(batch);
      parsing.catch(() => undefined);
      return parsing;
    };
    const inFlight = batches.slice(0, 2).map(start);
    try {
      for (const [i, batch] of batches.entries()) {
        const { facts, read } = await inFlight.shift()!;
        if (i === 0) options.progress?.('checking the rules');
        if (i + 2 < batches.length) inFlight.push(start(batches[i + 2]!));
        for (const [j, project] of batch.entries()) {
          moved ||=
            read[j] !== project.files && read[j]!.some((f, k) => f.problem && !project.files[k]!.problem);
          const result = validate({
            files: read[j]!,
            facts,
            config,
            paths,
            ...(design ? { design } : {}),
          });
          parts.set(project.dir, { key: project.key, part: reportPart(result, config) });
        }
      }
    } finally {
      await own?.close();
    }
  }
  const { focus } = options;
  if (!moved) memo?.set(parts, !focus);
  const shown = [...parts.values()].map(({ part }) =>
    focus ? { ...part, diagnostics: part.diagnostics.filter(inFocus(focus)) } : part,
  );
  return assembleReport(shown, config, options.label, VERSION, focus ? { paths: focus } : undefined);
}

/** A project to check: its folder, its memo key, its files and how many of them are docs. */
interface Project {
  dir: string;
  key: string;
  files: SourceFile[];
  docs: number;
}

const isDoc = (file: SourceFile): boolean => !file.problem && classifyPath(file.path).role === 'doc';

/**
 * `files` with the bytes of each doc whose facts must be computed: a doc its source named by blob id
 * only is read now (CheckInput.readDocs), unless the cache has its facts.
 */
function withDocBytes(
  files: readonly SourceFile[],
  input: CheckInput,
  cache: FactsCache | undefined,
): readonly SourceFile[] {
  if (!input.readDocs) return files;
  const settings = factsSettingsOf(input.config);
  const unread = files.filter(
    (f) => f.content === undefined && f.oid !== undefined && isDoc(f) && !cache?.get(factsKeyOf(f, settings)),
  );
  if (unread.length === 0) return files;
  const read = new Map(input.readDocs(unread).map((f) => [f.path, f]));
  return files.map((f) => read.get(f.path) ?? f);
}

/**
 * Docs per batch at most: enough to keep every worker busy while the last batch is checked, few
 * enough that a batch's facts are a small part of a large workspace's.
 */
const BATCH_DOCS = 1_000;

/** Docs per batch at least: below this, a batch's set-up (reading, handing over) starts to show. */
const BATCH_MIN_DOCS = 200;

/**
 * Whole projects, in order. A batch takes about a third of the docs left, between BATCH_MIN_DOCS and
 * BATCH_DOCS: the batches shrink towards the end, so the last, whose rules run while no worker has
 * anything left to parse, is short.
 */
function inBatches(projects: readonly Project[]): Project[][] {
  let left = projects.reduce((n, p) => n + p.docs, 0);
  const target = () => Math.min(BATCH_DOCS, Math.max(BATCH_MIN_DOCS, Math.ceil(left / 3)));
  const batches: Project[][] = [[]];
  let docs = 0;
  let size = target();
  for (const project of projects) {
    if (docs >= size) {
      batches.push([]);
      docs = 0;
      size = target();
    }
    batches.at(-1)!.push(project);
    docs += project.docs;
    left -= project.docs;
  }
  return batches;
}

const EMPTY_PART: ReportPart = { sessions: [], files: [], diagnostics: [] };

/** The files of each project by its folder, in the order the workspace lists projects; files outside any project (`''`) last. */
function byProject(files: readonly SourceFile[]): Array<[dir: string, files: SourceFile[]]> {
  const groups = Map.groupBy(files, (f) => {
    const role = classifyPath(f.path);
    return role.role === 'other' ? '' : role.projectDir;
  });
  const dirs = [...groups.keys()].filter((d) => d !== '').sort((a, b) => (a < b ? -1 : 1));
  return [...dirs, ...(groups.has('') ? [''] : [])].map((d) => [d, groups.get(d)!]);
}
