import type { Logger } from 'probot';
import type { Config } from '../../config/schema.ts';
import { gitBlobId } from '../../model/blob-id.ts';
import { governanceDocs } from '../../model/build.ts';
import { factsKey, factsSettingsOf } from '../../model/facts-key.ts';
import { classifyPath } from '../../model/layout.ts';
import type { SourceFile } from '../../model/source.ts';
import { BLOB_TEXT_MAX_BYTES } from '../../store/facts.ts';
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
 * The facts key of each selected doc small enough to be read, by path, from the blob id the tree
 * gives it: what the facts cache is asked for before anything is downloaded.
 */
export function docFactsKeys(entries: readonly TreeEntry[], config: Config): Map<string, string> {
  const settings = factsSettingsOf(config);
  const keys = new Map<string, string>();
  for (const entry of entries) {
    if (entry.size <= config.maxFileBytes && classifyPath(entry.path).role === 'doc')
      keys.set(entry.path, factsKey(entry.sha, settings));
  }
  return keys;
}

/**
 * The docs not to download: their facts are known (`found`, by key) and no rule reads their text
 * (governance docs are read whole). Every other file, session data included, is downloaded.
 */
export function unreadDocs(
  entries: readonly TreeEntry[],
  keys: ReadonlyMap<string, string>,
  found: ReadonlyMap<string, unknown>,
): Set<string> {
  const governance = governanceDocs(entries.map((e) => e.path));
  const unread = new Set<string>();
  for (const [path, key] of keys) if (found.has(key) && !governance.has(path)) unread.add(path);
  return unread;
}

/**
 * The files every run reads whole and that are small enough to keep as text by blob id: session and
 * project data (`CURRENT_SESSION`, `session.json`, …) and governance docs; not the docs the facts
 * stand for (`keys`), which are not downloaded once known.
 */
export function wholeFiles(
  entries: readonly TreeEntry[],
  keys: ReadonlyMap<string, string>,
  maxFileBytes: number,
): TreeEntry[] {
  const governance = governanceDocs(entries.map((e) => e.path));
  const max = Math.min(BLOB_TEXT_MAX_BYTES, maxFileBytes);
  return entries.filter((e) => e.size <= max && (!keys.has(e.path) || governance.has(e.path)));
}

/** The stored texts of `files` as their bytes, by path; a text that does not hash to its blob id is left out (downloaded). */
export function storedContents(
  files: readonly TreeEntry[],
  texts: ReadonlyMap<string, string>,
): Map<string, Uint8Array> {
  const encoder = new TextEncoder();
  const contents = new Map<string, Uint8Array>();
  for (const entry of files) {
    const text = texts.get(entry.sha);
    if (text === undefined) continue;
    const bytes = encoder.encode(text);
    if (gitBlobId(bytes) === entry.sha) contents.set(entry.path, bytes);
  }
  return contents;
}

/** The texts among `files` a run downloaded, by blob id, for the store: UTF-8 without NUL only. */
export function downloadedTexts(
  files: readonly TreeEntry[],
  read: readonly SourceFile[],
  stored: ReadonlyMap<string, Uint8Array>,
): Map<string, string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const byPath = new Map(read.map((f) => [f.path, f]));
  const texts = new Map<string, string>();
  for (const entry of files) {
    const content = byPath.get(entry.path)?.content;
    if (!content || stored.has(entry.path)) continue;
    try {
      const text = decoder.decode(content);
      if (!text.includes('\0')) texts.set(entry.sha, text);
    } catch {
      // Not UTF-8: downloaded again next time.
    }
  }
  return texts;
}

/**
 * The selected files as the engine takes them, each with its blob id from the tree. A doc in
 * `unread` is not downloaded: its facts are in the cache, so it goes by its id and size alone. A
 * file over `maxFileBytes` is not downloaded at all (the tree already says its size): it becomes
 * a `too-large` problem the engine reports. Binary content is passed through; the engine reports
 * it as binary. Many files come from one tarball, a few from their blobs; whatever the tarball
 * misses is fetched as a blob.
 */
export async function readFiles(
  gh: GitHub,
  repo: Repo,
  at: { sha: string; tree: readonly TreeEntry[] },
  entries: readonly TreeEntry[],
  options: ReadLimits & {
    maxFileBytes: number;
    log: Logger;
    unread?: ReadonlySet<string>;
    /** Contents already at hand (the store's texts), by path: not downloaded. */
    known?: ReadonlyMap<string, Uint8Array>;
  },
): Promise<SourceFile[]> {
  const unread = options.unread ?? new Set<string>();
  const known = options.known ?? new Map<string, Uint8Array>();
  const wanted = entries.filter(
    (e) => e.size <= options.maxFileBytes && !unread.has(e.path) && !known.has(e.path),
  );
  const contents = new Map<string, Uint8Array>(known);
  const treeBytes = at.tree.reduce((n, e) => n + e.size, 0);
  if (wanted.length >= options.archiveMinFiles && treeBytes <= options.archiveMaxTreeBytes) {
    try {
      for (const [path, content] of await readFromArchive(gh, repo, at.sha, wanted))
        contents.set(path, content);
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
    const file = { path: entry.path, size: entry.size, oid: entry.sha };
    if (unread.has(entry.path)) return file;
    const content = contents.get(entry.path);
    return content
      ? { ...file, size: content.byteLength, content }
      : { ...file, problem: { kind: 'too-large', limit: options.maxFileBytes } };
  });
}
