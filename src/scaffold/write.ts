import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { IdseError } from '../errors.ts';

export interface WriteResult {
  written: string[];
  skipped: string[];
}

/**
 * Writes a set of files all or nothing. Existing files are refused up front unless `force`; each file
 * is written to a temp name and renamed into place, and a failure part-way removes what this call
 * created, so no run leaves a half-written workspace.
 */
export function writeFilesAtomically(
  root: string,
  files: ReadonlyMap<string, string>,
  options: { force?: boolean; keepExisting?: ReadonlySet<string> } = {},
): WriteResult {
  const skipped = [...files.keys()].filter((p) => options.keepExisting?.has(p) && existsSync(join(root, p)));
  const todo = [...files].filter(([p]) => !skipped.includes(p));
  const conflicts = todo.filter(([p]) => existsSync(join(root, p))).map(([p]) => p);
  if (conflicts.length && !options.force) {
    throw new IdseError(
      'write-conflict',
      `${conflicts.length} file(s) already exist (first: ${conflicts[0]}); nothing was written. Use --force to overwrite`,
    );
  }
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  const suffix = `.idse-${randomBytes(4).toString('hex')}.tmp`;
  try {
    for (const [path, content] of todo) {
      const abs = join(root, path);
      createdDirs.push(...missingDirs(dirname(abs)));
      mkdirSync(dirname(abs), { recursive: true });
      const tmp = abs + suffix;
      writeFileSync(tmp, content, { flag: 'wx' });
      const existed = existsSync(abs);
      renameSync(tmp, abs);
      if (!existed) createdFiles.push(abs);
    }
  } catch (error) {
    for (const file of createdFiles) rmSync(file, { force: true });
    for (const [path] of todo) rmSync(join(root, path) + suffix, { force: true });
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    throw new IdseError(
      'write-conflict',
      `could not write files: ${(error as Error).message}; files this run created were removed`,
    );
  }
  return { written: todo.map(([p]) => relative(root, join(root, p))), skipped };
}

function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
  return missing;
}
