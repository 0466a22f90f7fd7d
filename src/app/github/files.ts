import type { Logger } from 'probot';
import type { SourceFile } from '../../model/source.ts';
import { failureOf } from '../check-run/failure.ts';
import { readFromArchive } from './archive.ts';
import { readBlobs } from './blobs.ts';
import type { GitHub, Repo, TreeEntry } from './github.ts';

export interface ReadLimits {
  /** Blob requests in flight. */
  concurrency: number;
  /** From this many files on, the commit's tarball is read instead of one request per blob… */
  archiveMinFiles: number;
  /** …unless the whole tree is larger than this (bytes): then the archive costs more than the blobs. */
  archiveMaxTreeBytes: number;
}

/**
 * The selected files' contents as the engine takes them. A file over `maxFileBytes` is not
 * downloaded at all (the tree already says its size): it becomes a `too-large` problem the engine
 * reports. Binary content is passed through; the engine reports it as binary. Many files come
 * from one tarball, a few from their blobs; whatever the tarball misses is fetched as a blob.
 */
export async function readFiles(
  gh: GitHub,
  repo: Repo,
  at: { sha: string; tree: readonly TreeEntry[] },
  entries: readonly TreeEntry[],
  options: ReadLimits & { maxFileBytes: number; log: Logger },
): Promise<SourceFile[]> {
  const wanted = entries.filter((e) => e.size <= options.maxFileBytes);
  let contents = new Map<string, Uint8Array>();
  const treeBytes = at.tree.reduce((n, e) => n + e.size, 0);
  if (wanted.length >= options.archiveMinFiles && treeBytes <= options.archiveMaxTreeBytes) {
    try {
      contents = await readFromArchive(gh, repo, at.sha, wanted);
    } catch (error) {
      const failure = failureOf(error);
      options.log.warn(
        `idse: tarball unavailable (${failure.message}); reading ${wanted.length} blobs instead`,
      );
    }
  }
  const rest = wanted.filter((e) => !contents.has(e.path));
  for (const [path, content] of await readBlobs(gh, repo, rest, options.concurrency))
    contents.set(path, content);
  return entries.map((entry): SourceFile => {
    const content = contents.get(entry.path);
    return content
      ? { path: entry.path, size: content.byteLength, content }
      : { path: entry.path, size: entry.size, problem: { kind: 'too-large', limit: options.maxFileBytes } };
  });
}
