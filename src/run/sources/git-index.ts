import { createHash } from 'node:crypto';
import fs, { type BigIntStats } from 'node:fs';
import path from 'node:path';
import { IdseError } from '../../errors.ts';
import { gitBlobId } from '../../model/blob-id.ts';
import { errorCode } from './git-revisions.ts';

export interface IndexEntry {
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
export function readIndex(gitdir: string): { entries: Map<string, IndexEntry>; mtimeNs: bigint } {
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

/**
 * Folder → the tree oid `git write-tree` would give it ('' is the root). Submodules are left out,
 * so a folder holding one never matches and is simply read: a mismatch only costs time.
 */
export function indexTreeOids(entries: Iterable<IndexEntry>): Map<string, string> {
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

const NS_PER_S = 1_000_000_000n;
const U32 = 2n ** 32n;
/** Never equal to a blob oid, so a file that cannot be hashed counts as changed. */
const UNREADABLE = 'unreadable';

/** The blob oid of the working-tree file, undefined when it is gone; hashes only when stat data changed. */
export function workdirOid(dir: string, entry: IndexEntry, indexMtimeNs: bigint): string | undefined {
  if (entry.skipWorktree) return entry.oid;
  const abs = path.join(dir, entry.path);
  try {
    const stats = fs.lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!stats || stats.isDirectory()) return undefined;
    if (matchesIndex(stats, entry, indexMtimeNs)) return entry.oid;
    if (stats.isSymbolicLink()) return gitBlobId(fs.readlinkSync(abs, { encoding: 'buffer' }));
    // Reading a FIFO would block; anything but a file is a change git would report as well.
    return stats.isFile() ? gitBlobId(fs.readFileSync(abs)) : UNREADABLE;
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
