import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SourceFile } from '../model/source.ts';
import { REPORT_SCHEMA_ID, type Report } from '../report/schema.ts';
import { cacheFile, writeCacheFile } from './facts-cache.ts';

/**
 * The report of the last run, kept with a hash of everything that went into it. When nothing
 * changed (same files, config, change set, version), the next run answers from it without loading
 * facts or running rules: a repeated run costs little more than reading the files.
 */
export class RunMemo {
  private readonly file: string;

  constructor(root: string, env: NodeJS.ProcessEnv = process.env) {
    this.file = cacheFile(root, 'run', 'json', env);
  }

  get(key: string): Report | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as { key?: unknown; report?: unknown };
      if (stored.key !== key) return undefined;
      // The key covers the tool version, so a stored report has this version's shape.
      const report = stored.report as Report;
      return report?.schema === REPORT_SCHEMA_ID ? report : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, report: Report): void {
    writeCacheFile(this.file, JSON.stringify({ key, report }));
  }
}

/** Hash of a run's inputs: every file's path and bytes (or read problem) plus the run's settings. */
export function runKey(files: readonly SourceFile[], settings: unknown): string {
  const hash = createHash('sha1').update(JSON.stringify(settings));
  for (const file of files) {
    hash.update(`\0${file.path}\0${file.size}\0${file.problem ? JSON.stringify(file.problem) : ''}\0`);
    if (file.content) hash.update(file.content);
  }
  return hash.digest('base64url');
}
