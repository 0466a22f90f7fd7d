import fs from 'node:fs';
import git, { TREE } from 'isomorphic-git';
import { IdseError } from '../errors.ts';
import { isWorkspaceFile } from '../model/layout.ts';
import type { SourceFile } from '../model/source.ts';

export interface Snapshot {
  oid: string;
  /** Commit time, ms since the epoch. */
  time: number;
  files: SourceFile[];
}

/**
 * The workspace as each commit left it, oldest first: the pipeline files under `prefix` (the
 * workspace root inside the repo). A blob is read once however many commits share it.
 */
export async function* workspaceHistory(options: {
  dir: string;
  prefix: string;
  since?: Date;
  maxCommits?: number;
}): AsyncGenerator<Snapshot> {
  const cache = {};
  let commits: Awaited<ReturnType<typeof git.log>>;
  try {
    commits = await git.log({
      fs,
      dir: options.dir,
      ref: 'HEAD',
      cache,
      ...(options.since ? { since: options.since } : {}),
    });
  } catch (error) {
    // A repository with no commits has no history to report on.
    if ((error as { code?: string }).code === 'NotFoundError') return;
    throw new IdseError('git-failed', `cannot read git history: ${(error as Error).message}`);
  }
  const blobs = new Map<string, Uint8Array>();
  const prefix = options.prefix ? `${options.prefix}/` : '';
  for (const commit of commits.slice(0, options.maxCommits ?? 1000).reverse()) {
    const files: SourceFile[] = [];
    await git.walk({
      fs,
      dir: options.dir,
      cache,
      trees: [TREE({ ref: commit.oid })],
      map: async (path, [entry]) => {
        if (path !== '.' && !(path.startsWith(prefix) || prefix.startsWith(`${path}/`))) return null;
        const type = await entry?.type();
        if (type === 'tree') return undefined;
        const rel = path.slice(prefix.length);
        if (type !== 'blob' || !isWorkspaceFile(rel)) return null;
        const oid = await entry!.oid();
        let content = blobs.get(oid);
        if (!content) {
          content = (await entry!.content()) ?? new Uint8Array();
          blobs.set(oid, content);
        }
        files.push({ path: rel, size: content.byteLength, content });
        return null;
      },
    });
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    yield { oid: commit.oid, time: commit.commit.committer.timestamp * 1000, files };
  }
}
