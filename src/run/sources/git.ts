import fs from 'node:fs';
import path from 'node:path';
import git, { TREE, type WalkerEntry } from 'isomorphic-git';
import { isWorkspaceFile } from '../../model/layout.ts';
import { DEFAULT_MAX_FILE_BYTES, type SourceFile } from '../../model/source.ts';
import { indexTreeOids, readIndex, workdirOid } from './git-index.ts';
import {
  errorCode,
  gitFailed,
  openRepo,
  type Repo,
  readCommit,
  resolveCommit,
  unknownRef,
} from './git-revisions.ts';
import { untrackedFiles } from './git-untracked.ts';

/** A file of a commit: its blob id comes from the tree, so nothing hashes its bytes again. */
export type CommittedFile = SourceFile & { oid: string };

const SYMLINK_MODE = 0o120000;

/** The folder holding `.git` at or above `dir`, or undefined outside a repository. */
export async function findGitRoot(dir: string): Promise<string | undefined> {
  try {
    return await git.findRoot({ fs, filepath: path.resolve(dir) });
  } catch (error) {
    if (errorCode(error) === 'NotFoundError') return undefined;
    throw error;
  }
}

/**
 * Repo-relative paths whose working-tree state differs from `base`: added, modified and deleted
 * files plus untracked files git does not ignore. Equals `git diff --no-renames --name-only base`
 * together with `git ls-files --others --exclude-standard`.
 *
 * git.statusMatrix gives the same answer but takes seconds on thousands of files: it hashes every
 * file because Node's millisecond stat times never equal the index's nanoseconds. Instead this reads
 * the index itself and, like git, hashes only files whose stat data no longer matches it.
 */
export async function changedPaths(options: { dir: string; base: string }): Promise<Set<string>> {
  const repo = openRepo(options.dir);
  const asked = { revision: options.base, noun: 'base ref', option: '--base' };
  const { commit } = await readCommit(repo, await resolveCommit(repo, asked), asked, unknownRef);
  const index = readIndex(repo.ownGitdir);
  const inBase: BaseTree = { blobs: new Map(), same: new Set() };
  await readBaseTree(repo, commit.tree, '', indexTreeOids(index.entries.values()), inBase);
  const changed = new Set<string>();
  for (const entry of index.entries.values()) {
    const baseOid = inFolders(entry.path, inBase.same) ? entry.oid : inBase.blobs.get(entry.path)?.oid;
    if (workdirOid(repo.dir, entry, index.mtimeNs) !== baseOid) changed.add(entry.path);
  }
  for (const file of inBase.blobs.keys()) {
    if (!index.entries.has(file)) changed.add(file);
  }
  for (const file of await untrackedFiles(repo, index.entries)) changed.add(file);
  return changed;
}

/** A file of a commit: its blob oid and its mode as git writes it ('100644', '100755', '120000'). */
export interface TreeBlob {
  oid: string;
  mode: string;
}

/**
 * Every file of the commit at `ref` (submodules left out) with its blob oid and mode, without
 * reading a single blob. Folders whose tree the index has unchanged are taken from the index, so on
 * a clean checkout this reads one commit and one tree whatever the number of files.
 */
export async function committedBlobs(options: { dir: string; ref: string }): Promise<Map<string, TreeBlob>> {
  const repo = openRepo(options.dir);
  const asked = { revision: options.ref, noun: 'ref' };
  const { commit } = await readCommit(repo, await resolveCommit(repo, asked), asked, unknownRef);
  const index = readIndex(repo.ownGitdir);
  const tree: BaseTree = { blobs: new Map(), same: new Set() };
  await readBaseTree(repo, commit.tree, '', indexTreeOids(index.entries.values()), tree);
  for (const entry of index.entries.values()) {
    if (inFolders(entry.path, tree.same))
      tree.blobs.set(entry.path, { oid: entry.oid, mode: entry.mode.toString(8) });
  }
  return tree.blobs;
}

/** The contents of blobs by oid, from loose objects or packs. */
export async function readBlobs(options: {
  dir: string;
  oids: Iterable<string>;
}): Promise<Map<string, Uint8Array>> {
  const repo = openRepo(options.dir);
  const out = new Map<string, Uint8Array>();
  for (const oid of new Set(options.oids)) {
    const { blob } = await git
      .readBlob({ fs, gitdir: repo.gitdir, oid, cache: repo.cache })
      .catch((error: unknown) => {
        throw gitFailed(error);
      });
    out.set(oid, blob);
  }
  return out;
}

/**
 * The files of the tree at `ref`, sorted by path. Symlinks are reported, not followed: their target
 * is a path inside the commit, and resolving it there is not worth the complexity for docs.
 */
export async function readCommittedFiles(options: {
  dir: string;
  ref?: string;
  include?: (relPath: string) => boolean;
  maxFileBytes?: number;
}): Promise<CommittedFile[]> {
  const repo = openRepo(options.dir);
  const commit = await resolveCommit(repo, { revision: options.ref ?? 'HEAD', noun: 'ref' });
  const keep = options.include ?? isWorkspaceFile;
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files: CommittedFile[] = await git
    .walk({
      fs,
      gitdir: repo.gitdir,
      cache: repo.cache,
      trees: [TREE({ ref: commit })],
      map: async (filepath, [entry]) => {
        const type = await entry?.type();
        if (type === 'tree') return undefined; // undefined walks the children, null would prune them
        if (type !== 'blob' || !keep(filepath)) return null; // 'commit' is a submodule
        return toSourceFile(filepath, entry!, limit);
      },
    })
    .catch((error: unknown) => {
      throw gitFailed(error);
    });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function toSourceFile(filepath: string, entry: WalkerEntry, limit: number): Promise<CommittedFile> {
  const [oid, mode, content] = await Promise.all([entry.oid(), entry.mode(), entry.content()]);
  const size = content?.byteLength ?? 0;
  if (mode === SYMLINK_MODE) {
    return { path: filepath, size, oid, problem: { kind: 'not-regular', detail: 'a symlink in the commit' } };
  }
  if (size > limit) return { path: filepath, size, oid, problem: { kind: 'too-large', limit } };
  return { path: filepath, size, oid, content: content ?? new Uint8Array() };
}

interface BaseTree {
  /** Path → blob oid and mode of files (symlinks included, submodules not) outside `same` folders. */
  blobs: Map<string, TreeBlob>;
  /** Folders whose subtree equals the index's: not read, since each file there has its index oid. */
  same: Set<string>;
}

/**
 * Reads the base tree, skipping each folder the index already has unchanged. Reading every tree
 * from a pack costs hundreds of milliseconds on 8,000 files; a typical change touches a few folders.
 */
async function readBaseTree(
  repo: Repo,
  oid: string,
  folder: string,
  indexTrees: Map<string, string>,
  into: BaseTree,
): Promise<void> {
  if (indexTrees.get(folder) === oid) {
    into.same.add(folder);
    return;
  }
  const { tree } = await git
    .readTree({ fs, gitdir: repo.gitdir, oid, cache: repo.cache })
    .catch((error: unknown) => {
      throw gitFailed(error);
    });
  const prefix = folder ? `${folder}/` : '';
  await Promise.all(
    tree.map(async (entry) => {
      if (entry.type === 'blob') into.blobs.set(prefix + entry.path, { oid: entry.oid, mode: entry.mode });
      if (entry.type === 'tree') await readBaseTree(repo, entry.oid, prefix + entry.path, indexTrees, into);
    }),
  );
}

function inFolders(file: string, folders: Set<string>): boolean {
  if (folders.size === 0) return false;
  if (folders.has('')) return true;
  for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
    if (folders.has(file.slice(0, slash))) return true;
  }
  return false;
}
