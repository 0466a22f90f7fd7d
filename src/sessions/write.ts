import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { IdseError } from '../errors.ts';
import { writeFilesAtomically } from '../scaffold/write.ts';

/** A file's new text from its current one (`undefined` when it does not exist); `undefined` leaves it. */
export type FileEdit = (current: string | undefined) => string | undefined;

/** A file's text now, or undefined when it does not exist. */
export const readIfExists = (abs: string): string | undefined =>
  existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;

/**
 * Edits a project's files as one step: under the project's lock (so two commands editing the same
 * session.json do not lose each other's change), each file is read afresh, edited, and all changed
 * files are written atomically (temp file + rename: never half-written). Returns the paths written.
 * Edits that depend on more than one file's current text are planned inside the lock: pass a
 * function, and it is called once the lock is held.
 */
export async function editProjectFiles(
  root: string,
  projectDir: string,
  plan: ReadonlyMap<string, FileEdit> | (() => ReadonlyMap<string, FileEdit>),
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
    const edits = typeof plan === 'function' ? plan() : plan;
    const out = new Map<string, string>();
    for (const [path, edit] of edits) {
      const current = readIfExists(join(root, path));
      const next = edit(current);
      if (next !== undefined && next !== current) out.set(path, next);
    }
    if (out.size > 0) writeFilesAtomically(root, out, { force: true });
    return [...out.keys()];
  } finally {
    await release();
  }
}
