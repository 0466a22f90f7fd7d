import { createHash } from 'node:crypto';
import fs, { type BigIntStats } from 'node:fs';
import path from 'node:path';
import git, { TREE, type WalkerEntry } from 'isomorphic-git';
import { IdseError } from '../../errors.ts';
import { DEFAULT_MAX_FILE_BYTES, type SourceFile } from '../source.ts';
import { isWorkspaceFile } from './fs.ts';

export type CommittedFile = SourceFile & { oid: string };

interface Repo {
  /** The working tree. */
  dir: string;
  /** Objects, refs and info/exclude; shared by all worktrees of a repository. */
  gitdir: string;
  /** HEAD and index; the same as `gitdir` except in a linked worktree. */
  ownGitdir: string;
  /** isomorphic-git keeps parsed pack indexes here; one per public call so packs are read once. */
  cache: object;
}

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
    const baseOid = inFolders(entry.path, inBase.same) ? entry.oid : inBase.blobs.get(entry.path);
    if (workdirOid(repo.dir, entry, index.mtimeNs) !== baseOid) changed.add(entry.path);
  }
  for (const file of inBase.blobs.keys()) {
    if (!index.entries.has(file)) changed.add(file);
  }
  for (const file of await untrackedFiles(repo, index.entries)) changed.add(file);
  return changed;
}

/** The object id git gives a blob with this content (`git hash-object`). */
export async function blobSha(content: Uint8Array): Promise<string> {
  return hashBlob(content);
}

function hashBlob(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
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
  /** Path → blob oid of files (symlinks included, submodules not) outside `same` folders. */
  blobs: Map<string, string>;
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
      if (entry.type === 'blob') into.blobs.set(prefix + entry.path, entry.oid);
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

/**
 * Folder → the tree oid `git write-tree` would give it ('' is the root). Submodules are left out,
 * so a folder holding one never matches and is simply read: a mismatch only costs time.
 */
function indexTreeOids(entries: Iterable<IndexEntry>): Map<string, string> {
  const children = new Map<string, Array<{ name: string; mode: string; oid: string }>>();
  const listOf = (folder: string) => {
    const list = children.get(folder) ?? [];
    children.set(folder, list);
    return list;
  };
  const parentOf = (file: string) => file.slice(0, Math.max(file.lastIndexOf('/'), 0));
  const nameOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);
  listOf('');
  for (const entry of entries) {
    listOf(parentOf(entry.path)).push({
      name: nameOf(entry.path),
      mode: entry.mode.toString(8),
      oid: entry.oid,
    });
    // A folder holding only folders gets no file here; register every ancestor so each is hashed.
    for (let folder = parentOf(entry.path); folder !== ''; folder = parentOf(folder)) listOf(folder);
  }
  const depth = (folder: string) => (folder === '' ? 0 : folder.split('/').length);
  const oids = new Map<string, string>();
  for (const folder of [...children.keys()].sort((a, b) => depth(b) - depth(a))) {
    // git orders a tree's entries by name bytes, a folder's name counting as if it ended in '/'.
    const sorted = listOf(folder)
      .map((item) => ({ ...item, key: Buffer.from(item.mode === TREE_MODE ? `${item.name}/` : item.name) }))
      .sort((a, b) => Buffer.compare(a.key, b.key));
    const body = Buffer.concat(
      sorted.flatMap((item) => [Buffer.from(`${item.mode} ${item.name}\0`), Buffer.from(item.oid, 'hex')]),
    );
    const oid = createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
    oids.set(folder, oid);
    if (folder !== '') listOf(parentOf(folder)).push({ name: nameOf(folder), mode: TREE_MODE, oid });
  }
  return oids;
}

interface IndexEntry {
  path: string;
  oid: string;
  ctimeSeconds: number;
  ctimeNanoseconds: number;
  mtimeSeconds: number;
  mtimeNanoseconds: number;
  size: number;
  mode: number;
  /** Sparse checkout left the file out of the working tree on purpose; git takes the index's word. */
  skipWorktree: boolean;
}

const GITLINK_MODE = 0o160000;
const TREE_MODE = '40000';

/** Parses `.git/index` (versions 2-4, https://git-scm.com/docs/index-format); extensions are skipped. */
function readIndex(gitdir: string): { entries: Map<string, IndexEntry>; mtimeNs: bigint } {
  const file = path.join(gitdir, 'index');
  const stats = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  const entries = new Map<string, IndexEntry>();
  if (!stats) return { entries, mtimeNs: 0n }; // no index yet: nothing staged
  const buffer = fs.readFileSync(file);
  const version = buffer.readUInt32BE(4);
  if (buffer.toString('latin1', 0, 4) !== 'DIRC' || version < 2 || version > 4) {
    throw new IdseError('git-failed', `Unsupported git index format in ${file}`);
  }
  let position = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let count = buffer.readUInt32BE(8); count > 0; count--) {
    const flags = buffer.readUInt16BE(position + 60);
    const extended = version >= 3 && (flags & 0x4000) !== 0;
    let cursor = position + (extended ? 64 : 62);
    let name: Buffer;
    let next: number;
    if (version === 4) {
      // The name is stored as "drop this many bytes from the previous name, then append".
      let byte = buffer[cursor++]!;
      let drop = byte & 0x7f;
      while (byte & 0x80) {
        byte = buffer[cursor++]!;
        drop = ((drop + 1) << 7) | (byte & 0x7f);
      }
      const end = buffer.indexOf(0, cursor);
      name = Buffer.concat([previous.subarray(0, previous.length - drop), buffer.subarray(cursor, end)]);
      next = end + 1;
    } else {
      const end = buffer.indexOf(0, cursor);
      name = buffer.subarray(cursor, end);
      next = position + ((end - position + 8) & ~7); // NUL padding to a multiple of 8
    }
    const mode = buffer.readUInt32BE(position + 24);
    if (mode !== GITLINK_MODE) {
      entries.set(name.toString('utf8'), {
        path: name.toString('utf8'),
        oid: buffer.toString('hex', position + 40, position + 60),
        ctimeSeconds: buffer.readUInt32BE(position),
        ctimeNanoseconds: buffer.readUInt32BE(position + 4),
        mtimeSeconds: buffer.readUInt32BE(position + 8),
        mtimeNanoseconds: buffer.readUInt32BE(position + 12),
        size: buffer.readUInt32BE(position + 36),
        mode,
        skipWorktree: extended && (buffer.readUInt16BE(position + 62) & 0x4000) !== 0,
      });
    }
    previous = name;
    position = next;
  }
  return { entries, mtimeNs: stats.mtimeNs };
}

function openRepo(dir: string): Repo {
  const dotGit = path.join(dir, '.git');
  let ownGitdir = dotGit;
  // Worktrees and submodules have a `.git` file naming their git directory.
  if (fs.statSync(dotGit, { throwIfNoEntry: false })?.isFile()) {
    const target = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (target) ownGitdir = path.resolve(dir, target);
  }
  if (!fs.existsSync(path.join(ownGitdir, 'HEAD'))) {
    throw new IdseError('git-failed', `Not a git repository: ${dir}`);
  }
  const commondir = path.join(ownGitdir, 'commondir');
  const gitdir = fs.existsSync(commondir)
    ? path.resolve(ownGitdir, fs.readFileSync(commondir, 'utf8').trim())
    : ownGitdir;
  return { dir, gitdir, ownGitdir, cache: {} };
}

const NS_PER_S = 1_000_000_000n;
const U32 = 2n ** 32n;
/** Never equal to a blob oid, so a file that cannot be hashed counts as changed. */
const UNREADABLE = 'unreadable';

/** The blob oid of the working-tree file, undefined when it is gone; hashes only when stat data changed. */
function workdirOid(dir: string, entry: IndexEntry, indexMtimeNs: bigint): string | undefined {
  if (entry.skipWorktree) return entry.oid;
  const abs = path.join(dir, entry.path);
  try {
    const stats = fs.lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!stats || stats.isDirectory()) return undefined;
    if (matchesIndex(stats, entry, indexMtimeNs)) return entry.oid;
    if (stats.isSymbolicLink()) return hashBlob(fs.readlinkSync(abs, { encoding: 'buffer' }));
    // Reading a FIFO would block; anything but a file is a change git would report as well.
    return stats.isFile() ? hashBlob(fs.readFileSync(abs)) : UNREADABLE;
  } catch (error) {
    return errorCode(error) === 'ENOTDIR' ? undefined : UNREADABLE;
  }
}

/**
 * git's own shortcut: same size and times as when the file was staged means same content. An entry
 * written in the same instant as the index ("racily clean") may have changed unseen, so it is hashed.
 * Nanoseconds of 0 mean a git built without them, which compares whole seconds.
 */
function matchesIndex(stats: BigIntStats, entry: IndexEntry, indexMtimeNs: bigint): boolean {
  const entryMtimeNs = BigInt(entry.mtimeSeconds) * NS_PER_S + BigInt(entry.mtimeNanoseconds);
  const sameTime = (ns: bigint, seconds: number, nanoseconds: number) =>
    Number((ns / NS_PER_S) % U32) === seconds && (nanoseconds === 0 || Number(ns % NS_PER_S) === nanoseconds);
  return (
    entryMtimeNs < indexMtimeNs &&
    Number(stats.size % U32) === entry.size &&
    sameTime(stats.mtimeNs, entry.mtimeSeconds, entry.mtimeNanoseconds) &&
    sameTime(stats.ctimeNs, entry.ctimeSeconds, entry.ctimeNanoseconds)
  );
}

/** Files in the working tree that are neither in the index nor ignored (`git ls-files --others`). */
async function untrackedFiles(repo: Repo, tracked: Map<string, IndexEntry>): Promise<string[]> {
  const { dir, gitdir } = repo;
  const trackedDirs = new Set<string>();
  for (const file of tracked.keys()) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      trackedDirs.add(file.slice(0, slash));
    }
  }
  const found: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return; // a folder that vanished or cannot be listed holds nothing git could report either
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.git' || tracked.has(child)) continue;
      if (entry.isDirectory()) {
        // An ignored folder is not entered at all, so an ignored node_modules costs one check.
        if (trackedDirs.has(child) || !(await git.isIgnored({ fs, dir, gitdir, filepath: `${child}/` }))) {
          await visit(child);
        }
      } else if (!(await git.isIgnored({ fs, dir, gitdir, filepath: child }))) {
        found.push(child);
      }
    }
  };
  await visit('');
  return found;
}

/** What the user asked for, as error messages name it. */
interface Asked {
  revision: string;
  /** 'base ref' or 'ref'. */
  noun: string;
  /** The command-line option that set it, named in hints. */
  option?: string;
}

/**
 * The commit a user-given revision names: a ref (branch, tag, `origin/main`, packed or loose), a
 * full or short SHA, each optionally followed by `~n` / `^n` steps, the forms CI scripts pass.
 */
async function resolveCommit(repo: Repo, asked: Asked): Promise<string> {
  const [, name = '', steps = ''] = /^(.*?)((?:[~^]\d*)*)$/.exec(asked.revision) ?? [];
  let oid = (await readCommit(repo, await resolveName(repo, name, asked), asked, unknownRef)).oid;
  for (const [, step, digits] of steps.matchAll(/([~^])(\d*)/g)) {
    const count = digits ? Number(digits) : 1;
    // ~n follows first parents n times; ^n picks the n-th parent, and ^0 is the commit itself.
    if (step === '~') for (let i = 0; i < count; i++) oid = await parentOf(repo, oid, 0, asked);
    else if (count > 0) oid = await parentOf(repo, oid, count - 1, asked);
  }
  return oid;
}

async function resolveName(repo: Repo, name: string, asked: Asked): Promise<string> {
  const { gitdir, cache } = repo;
  if (name === 'HEAD') {
    const head = await headCommit(repo);
    if (head) return head;
  } else if (name !== '') {
    try {
      return await git.resolveRef({ fs, gitdir, ref: name });
    } catch (error) {
      if (errorCode(error) !== 'NotFoundError') throw gitFailed(error);
    }
  }
  if (/^[0-9a-f]{4,39}$/i.test(name)) {
    try {
      return await git.expandOid({ fs, gitdir, oid: name.toLowerCase(), cache });
    } catch (error) {
      if (errorCode(error) === 'AmbiguousError') {
        throw new IdseError(
          'git-failed',
          `Short SHA '${name}' is ambiguous: pass more of its digits${hint(asked)}`,
        );
      }
      if (errorCode(error) !== 'NotFoundError') throw gitFailed(error);
    }
  }
  if (!(await headCommit(repo))) {
    const instead = asked.option ? `, or run without ${asked.option}` : '';
    throw new IdseError(
      'git-failed',
      `Cannot resolve ${asked.noun} '${asked.revision}': the repository has no commits yet. Commit first${instead}`,
    );
  }
  throw unknownRef(asked);
}

/** What HEAD points at, read from the worktree's own HEAD; undefined before the first commit. */
async function headCommit(repo: Repo): Promise<string | undefined> {
  const head = fs.readFileSync(path.join(repo.ownGitdir, 'HEAD'), 'utf8').trim();
  const ref = head.startsWith('ref: ') ? head.slice('ref: '.length) : head;
  return git.resolveRef({ fs, gitdir: repo.gitdir, ref }).catch(() => undefined);
}

async function parentOf(repo: Repo, oid: string, index: number, asked: Asked): Promise<string> {
  const { commit } = await readCommit(repo, oid, asked, unknownRef);
  const parent = commit.parent[index];
  if (!parent) {
    throw new IdseError('git-failed', `${capitalized(asked)} '${asked.revision}' goes past the first commit`);
  }
  const shallow = () =>
    new IdseError(
      'git-failed',
      `${capitalized(asked)} '${asked.revision}' needs commit ${parent.slice(0, 12)}, which this clone does not ` +
        'have (shallow clone?): fetch more history (git fetch --deepen, or fetch-depth: 0 in ' +
        `actions/checkout) or pass a commit SHA${hint(asked)}`,
    );
  return (await readCommit(repo, parent, asked, shallow)).oid;
}

async function readCommit(repo: Repo, oid: string, asked: Asked, missing: (asked: Asked) => IdseError) {
  try {
    return await git.readCommit({ fs, gitdir: repo.gitdir, oid, cache: repo.cache });
  } catch (error) {
    if (errorCode(error) === 'NotFoundError') throw missing(asked);
    if (errorCode(error) === 'ObjectTypeError') {
      throw new IdseError('git-failed', `${capitalized(asked)} '${asked.revision}' does not name a commit`);
    }
    throw gitFailed(error);
  }
}

function unknownRef(asked: Asked): IdseError {
  return new IdseError(
    'git-failed',
    `Unknown ${asked.noun} '${asked.revision}': fetch it or pass a commit SHA${hint(asked)}`,
  );
}

const hint = (asked: Asked) => (asked.option ? ` (${asked.option})` : '');
const capitalized = (asked: Asked) => asked.noun[0]!.toUpperCase() + asked.noun.slice(1);

function gitFailed(error: unknown): IdseError {
  return new IdseError('git-failed', `git: ${error instanceof Error ? error.message : String(error)}`);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
