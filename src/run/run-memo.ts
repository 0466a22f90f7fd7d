import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SourceFile } from '../model/source.ts';
import type { ReportPart } from '../report/build.ts';
import type { Report } from '../report/schema.ts';
import { REPORT_SCHEMA_ID } from '../report/schema-id.ts';
import { cacheFile, writeCacheFile } from './facts-cache.ts';

/**
 * The report of the last run, kept with a hash of everything that went into it. When nothing
 * changed (same files, config, change set, version), the next run answers from it without loading
 * facts or running rules: a repeated run costs little more than reading the files.
 */
export class RunMemo {
  private readonly file: string;

  constructor(root: string, env: NodeJS.ProcessEnv = process.env) {
    this.file = memoFile('run', root, env);
  }

  get(key: string): Report | undefined {
    const stored = readJson(this.file) as { key?: unknown; report?: unknown } | undefined;
    if (stored?.key !== key) return undefined;
    // The key covers the tool version, so a stored report has this version's shape.
    const report = stored.report as Report;
    return report?.schema === REPORT_SCHEMA_ID ? report : undefined;
  }

  set(key: string, report: Report): void {
    writeCacheFile(this.file, JSON.stringify({ key, report }));
  }
}

/**
 * What each project brought to the report of the last run that read it, with a hash of everything
 * that went into that (see checkByProject). A run after a change re-checks only the projects it
 * touched: the others neither load facts nor run rules.
 */
export class ProjectMemo {
  private readonly file: string;
  private stored: Record<string, { key: string; part: ReportPart }> | undefined;

  constructor(root: string, env: NodeJS.ProcessEnv = process.env) {
    this.file = memoFile('projects', root, env);
  }

  /** The part of the project in folder `dir` (`''`: files outside any project), if `key` is what it was made from. */
  get(dir: string, key: string): ReportPart | undefined {
    this.stored ??= (readJson(this.file) as { projects?: ProjectMemo['stored'] } | undefined)?.projects ?? {};
    const entry = Object.hasOwn(this.stored, dir) ? this.stored[dir] : undefined;
    return entry?.key === key ? entry.part : undefined;
  }

  /**
   * Records this run's projects. `whole`: the run read the whole workspace, so a project it did not
   * meet is gone; a run over some projects keeps the others' parts.
   */
  set(parts: ReadonlyMap<string, { key: string; part: ReportPart }>, whole: boolean): void {
    const kept = whole ? {} : { ...this.stored };
    writeCacheFile(this.file, JSON.stringify({ projects: { ...kept, ...Object.fromEntries(parts) } }));
  }
}

/** Where a workspace's memo of one kind is kept: beside its facts (see cacheFile). */
export const memoFile = (
  kind: 'run' | 'projects',
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): string => cacheFile(root, kind, 'json', env);

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Hash of a run's inputs: every file's path and bytes (or read problem) plus the run's settings.
 * `contentOf` may name a file's bytes by a digest already at hand (a doc's facts key); a file its
 * source named by blob id only is named by that.
 */
export function runKey(
  files: readonly SourceFile[],
  settings: unknown,
  contentOf: (file: SourceFile) => Uint8Array | string | undefined = (file) => file.oid ?? file.content,
): string {
  const hash = createHash('sha1').update(JSON.stringify(settings));
  for (const file of files) {
    hash.update(`\0${file.path}\0${file.size}\0${file.problem ? JSON.stringify(file.problem) : ''}\0`);
    const content = contentOf(file);
    if (content) hash.update(content);
  }
  return hash.digest('base64url');
}
