import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { IdseError } from '../errors.ts';
import { writeFilesAtomically } from '../scaffold/write.ts';

/** A file's new text from its current one (`undefined` when it does not exist); `undefined` leaves it. */
export type FileEdit = (current: string | undefined) => string | undefined;

/**
 * Edits a project's files as one step: under the project's lock (so two commands editing the same
 * session.json do not lose each other's change), each file is read afresh, edited, and all changed
 * files are written atomically (temp file + rename: never half-written). Returns the paths written.
 */
export async function editProjectFiles(
  root: string,
  projectDir: string,
  edits: ReadonlyMap<string, FileEdit>,
): Promise<string[]> {
  const dir = join(root, projectDir);
  let release: () => Promise<void>;
  try {
    release = await lock(dir, {
      lockfilePath: join(dir, '.idse-lock'),
      realpath: false,
      stale: 10_000,
      retries: { retries: 100, factor: 1.2, minTimeout: 10, maxTimeout: 200 },
    });
  } catch (error) {
    throw new IdseError(
      'write-conflict',
      `another command is editing ${projectDir} (${(error as Error).message}); nothing was written, try again`,
    );
  }
  try {
    const out = new Map<string, string>();
    for (const [path, edit] of edits) {
      const abs = join(root, path);
      const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
      const next = edit(current);
      if (next !== undefined && next !== current) out.set(path, next);
    }
    if (out.size > 0) writeFilesAtomically(root, out, { force: true });
    return [...out.keys()];
  } finally {
    await release();
  }
}
