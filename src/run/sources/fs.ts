import fs, { type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { globMatcher } from '../../config/select.ts';
import { IdseError } from '../../errors.ts';
import { gitBlobId } from '../../model/blob-id.ts';
import { isWorkspaceFile } from '../../model/layout.ts';
import { DEFAULT_MAX_FILE_BYTES, type SourceFile } from '../../model/source.ts';
import { Slabs } from '../slabs.ts';

export interface ReadWorkspaceOptions {
  /** Which workspace-relative paths to read; defaults to {@link isWorkspaceFile}. */
  include?: (relPath: string) => boolean;
  /** picomatch globs relative to the root; a matching folder is not entered. */
  ignore?: string[];
  maxFileBytes?: number;
  /** Files or folders (absolute or relative to cwd) to read instead of the whole root. */
  paths?: string[];
  /**
   * Enter folder symlinks that stay inside the root. Off by default: a folder symlink is skipped
   * (what it points at inside the workspace is read at its own path). Whatever this says, nothing
   * outside the root is read.
   */
  followSymlinks?: boolean;
  /**
   * Files to name, not keep: read to hash their git blob id (`oid`) and let go, so a run holds the
   * bytes of the docs it is parsing, not of the whole workspace. {@link rereadFiles} reads them again.
   */
  idOnly?: (relPath: string) => boolean;
  /** Takes some of the `idOnly` files whole after all, as the walk reads them. */
  taker?: Taker | undefined;
}

/**
 * Asked of each `idOnly` file as the walk reaches it: whether to keep its bytes after all. A file
 * taken is kept whole, with its id, and handed over at once (a cold run starts parsing docs while the
 * walk goes on; see EarlyFacts).
 */
export interface Taker {
  wants(relPath: string): boolean;
  take(file: SourceFile & { content: Uint8Array; oid: string }): void;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
// A small file costs a few syscalls of microseconds each. Sending each through libuv's thread pool
// costs more than the syscall itself (8,000 files: ~70 ms direct, 300-650 ms via the pool), so the
// walk makes the calls directly and gives the event loop a turn after every BATCH entries.
const BATCH = 64;
/** stat errors meaning a symlink's target is missing. */
const DANGLING = new Set(['ENOENT', 'ENOTDIR']);
// Opening a FIFO that no writer holds blocks; O_NONBLOCK makes that open return at once instead,
// which covers a file swapped for a FIFO between readdir and open. Absent on Windows.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Reads the workspace files under `root`, sorted by path. A file that cannot be read becomes a
 * SourceFile with a `problem`; only a missing root or missing `paths` entry throws. The walk never
 * leaves the root: a symlink whose target is outside it is reported, not read (a pull request can
 * add `plans/passwd.md -> /etc/passwd`, or `root -> /` for the walk to wander the whole disk).
 */
export async function readWorkspaceFiles(
  root: string,
  options: ReadWorkspaceOptions = {},
): Promise<SourceFile[]> {
  const rootAbs = path.resolve(root);
  const rootStats = fs.statSync(rootAbs, { throwIfNoEntry: false });
  if (!rootStats) throw new IdseError('path-not-found', `Workspace folder not found: ${root}`);
  if (!rootStats.isDirectory()) {
    throw new IdseError('path-not-found', `Workspace path is not a folder: ${root}`);
  }
  const ignore = globMatcher(options.ignore ?? []);
  const walk: Walk = {
    rootReal: fs.realpathSync.native(rootAbs),
    followSymlinks: options.followSymlinks ?? false,
    keep: options.include ?? isWorkspaceFile,
    skip: (rel) => SKIPPED_DIRS.has(rel.slice(rel.lastIndexOf('/') + 1)) || ignore(rel),
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    idOnly: options.idOnly ?? (() => false),
    taker: options.taker,
    scratch: new Uint8Array(0),
    found: new Map(),
    visited: 0,
    slabs: new Slabs((bytes) => new SharedArrayBuffer(bytes)),
  };
  const targets = options.paths ? resolveTargets(rootAbs, options.paths) : [{ abs: rootAbs, rel: '' }];
  for (const { abs, rel } of targets) {
    if (!isSkipped(walk, rel)) await visit(walk, abs, rel, [], false);
  }
  return [...walk.found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The bytes of files a walk named by blob id only (`idOnly`), read again from under `root`, in one
 * set of shared slabs the caller lets go with the files. A file whose bytes no longer have its id
 * changed since the walk (or was swapped for something else): it is reported so, never parsed under
 * the old id, which would file one content's facts under another's.
 */
export function rereadFiles(root: string, files: readonly SourceFile[]): SourceFile[] {
  const slabs = new Slabs((bytes) => new SharedArrayBuffer(bytes));
  return files.map((file) => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(entryPath(root, file.path), OPEN_FLAGS);
      const stats = fs.fstatSync(fd);
      const content =
        stats.isFile() && stats.size === file.size ? readUpTo(fd, slabs.take(file.size)) : undefined;
      if (content && gitBlobId(content) === file.oid) return { ...file, content };
      return { path: file.path, size: stats.size, problem: CHANGED };
    } catch (error) {
      return unreadable(file.path, error);
    } finally {
      if (fd !== undefined) closeQuietly(fd);
    }
  });
}

const CHANGED = { kind: 'unreadable', detail: 'changed while idse was reading the workspace' } as const;

interface Walk {
  /** The root's real path: nothing outside it is read. */
  rootReal: string;
  followSymlinks: boolean;
  keep: (relPath: string) => boolean;
  skip: (relPath: string) => boolean;
  maxFileBytes: number;
  idOnly: (relPath: string) => boolean;
  taker: Taker | undefined;
  /** Where files read only to be hashed go, one after another: grown to the largest, never kept. */
  scratch: Uint8Array;
  /** Keyed by path so overlapping `paths` yield each file once. */
  found: Map<string, SourceFile>;
  visited: number;
  /**
   * Where the files' bytes go: shared memory, so a facts worker given a doc reads these bytes instead
   * of a copy of its own (a run's docs were copied once to be posted and once more into the workers'
   * malloc arenas, which kept the memory after the docs were parsed).
   */
  slabs: Slabs;
}

/** Real path and walked path of each folder from the walk's start down to the current one. */
type Ancestors = ReadonlyArray<{ real: string; rel: string }>;

function resolveTargets(rootAbs: string, paths: string[]): Array<{ abs: string; rel: string }> {
  return paths.map((given) => {
    const abs = path.resolve(given);
    if (!fs.statSync(abs, { throwIfNoEntry: false })) {
      throw new IdseError('path-not-found', `Path not found: ${given}`);
    }
    const rel = path.relative(rootAbs, abs);
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
      throw new IdseError('usage', `Path is outside the workspace ${rootAbs}: ${given}`);
    }
    return { abs, rel: rel.split(path.sep).join('/') };
  });
}

/** An explicit path is read only if a full walk would have reached it. */
function isSkipped(walk: Walk, rel: string): boolean {
  if (rel === '') return false;
  const parts = rel.split('/');
  return parts.some((_, i) => walk.skip(parts.slice(0, i + 1).join('/')));
}

async function walkDir(walk: Walk, abs: string, rel: string, ancestors: Ancestors): Promise<void> {
  let entries: Dirent[];
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true });
  } catch (error) {
    add(walk, unreadable(rel || '.', error));
    return;
  }
  const real = ancestors[ancestors.length - 1]!.real;
  for (const entry of entries) {
    if (++walk.visited % BATCH === 0) await nextTurn();
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (walk.skip(childRel)) continue;
    const childAbs = entryPath(abs, entry.name);
    if (entry.isDirectory()) {
      await enterDir(walk, childAbs, childRel, entryPath(real, entry.name), ancestors);
    } else if (entry.isFile()) {
      if (walk.keep(childRel)) add(walk, readFile(walk, childAbs, childRel));
    } else if (nonRegularKind(entry)) {
      addKept(walk, notRegular(childRel, 0, entry));
    } else {
      // A symlink, or a type the filesystem left unknown in readdir: stat says what it leads to.
      await visit(walk, childAbs, childRel, ancestors, entry.isSymbolicLink());
    }
  }
}

/**
 * The path of `name` (an entry, or a workspace-relative path) inside folder `dir`, both already
 * normal: path.join would normalise them again, which was a tenth of a warm run's allocations.
 */
const entryPath = (dir: string, name: string): string =>
  dir.endsWith(path.sep) ? `${dir}${name}` : `${dir}${path.sep}${name}`;

// Only here does the walk pay for realpath; a plain folder's real path is its parent's plus its name.
async function visit(
  walk: Walk,
  abs: string,
  rel: string,
  ancestors: Ancestors,
  linked: boolean,
): Promise<void> {
  let stats: Stats;
  let real: string;
  try {
    stats = fs.statSync(abs);
    real = fs.realpathSync.native(abs);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') add(walk, loop(rel, 'symlink chain never reaches a file or folder'));
    else
      addKept(
        walk,
        unreadable(rel, error, DANGLING.has(errorCode(error) ?? '') ? 'dangling symlink' : undefined),
      );
    return;
  }
  if (!isInside(walk.rootReal, real)) {
    // A folder symlink that is not followed reads nothing, wherever it points.
    if (!stats.isDirectory()) addKept(walk, outside(rel, stats.size));
    else if (!linked || walk.followSymlinks) add(walk, outside(rel, 0));
    return;
  }
  if (stats.isDirectory()) {
    if (linked && !walk.followSymlinks) return;
    return enterDir(walk, abs, rel, real, ancestors);
  }
  if (stats.isFile()) {
    if (walk.keep(rel)) add(walk, readFile(walk, abs, rel));
  } else {
    addKept(walk, notRegular(rel, stats.size, stats));
  }
}

async function enterDir(walk: Walk, abs: string, rel: string, real: string, ancestors: Ancestors) {
  const enclosing = ancestors.find((ancestor) => ancestor.real === real);
  if (!enclosing) return walkDir(walk, abs, rel, [...ancestors, { real, rel }]);
  const target = enclosing.rel ? `'${enclosing.rel}'` : 'the folder being read';
  add(walk, loop(rel, `folder symlink leads back to ${target}`));
}

function add(walk: Walk, file: SourceFile): void {
  walk.found.set(file.path, file);
}

function addKept(walk: Walk, file: SourceFile): void {
  if (walk.keep(file.path)) add(walk, file);
}

function readFile(walk: Walk, abs: string, rel: string): SourceFile {
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, OPEN_FLAGS);
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) return notRegular(rel, stats.size, stats);
    if (stats.size > walk.maxFileBytes) {
      return { path: rel, size: stats.size, problem: { kind: 'too-large', limit: walk.maxFileBytes } };
    }
    if (!walk.idOnly(rel)) {
      const content = readUpTo(fd, walk.slabs.take(stats.size));
      return { path: rel, size: content.byteLength, content };
    }
    if (walk.taker?.wants(rel)) {
      const content = readUpTo(fd, walk.slabs.take(stats.size));
      const taken = { path: rel, size: content.byteLength, content, oid: gitBlobId(content) };
      walk.taker.take(taken);
      return taken;
    }
    if (walk.scratch.byteLength < stats.size) walk.scratch = new Uint8Array(Math.max(stats.size, 64 * 1024));
    const read = readUpTo(fd, walk.scratch.subarray(0, stats.size));
    return { path: rel, size: read.byteLength, oid: gitBlobId(read) };
  } catch (error) {
    return unreadable(rel, error);
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

/** Fills `buffer`, sized as fstat reported: a file growing meanwhile is cut there, so memory stays bounded. */
function readUpTo(fd: number, buffer: Uint8Array): Uint8Array {
  const size = buffer.byteLength;
  let filled = 0;
  while (filled < size) {
    const bytesRead = fs.readSync(fd, buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? buffer : buffer.subarray(0, filled);
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The content is already in hand; a failed close must not turn the whole read into an error.
  }
}

type Typed = Pick<Dirent, 'isFIFO' | 'isSocket' | 'isBlockDevice' | 'isCharacterDevice'>;

function nonRegularKind(entry: Typed): string | undefined {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice()) return 'a block device';
  if (entry.isCharacterDevice()) return 'a character device';
  return undefined;
}

function notRegular(rel: string, size: number, entry: Typed): SourceFile {
  const kind = nonRegularKind(entry) ?? 'of an unknown type';
  return { path: rel, size, problem: { kind: 'not-regular', detail: `${kind}, not a regular file` } };
}

function isInside(rootReal: string, real: string): boolean {
  const rel = path.relative(rootReal, real);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function outside(rel: string, size: number): SourceFile {
  return { path: rel, size, problem: { kind: 'outside-workspace' } };
}

function loop(rel: string, detail: string): SourceFile {
  return { path: rel, size: 0, problem: { kind: 'symlink-loop', detail } };
}

function unreadable(rel: string, error: unknown, what?: string): SourceFile {
  const code = errorCode(error) ?? 'EUNKNOWN';
  const syscall = (error as { syscall?: unknown } | undefined)?.syscall;
  const detail = what
    ? `${what} (${code})`
    : `${code}: ${typeof syscall === 'string' ? syscall : 'read'} failed`;
  return { path: rel, size: 0, problem: { kind: 'unreadable', detail } };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
