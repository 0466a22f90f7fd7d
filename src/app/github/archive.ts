import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { gitBlobId } from '../../model/blob-id.ts';
import type { GitHub, Repo, TreeEntry } from './github.ts';

/**
 * Many files at once from the commit's tarball: one request instead of one per blob. GitHub counts
 * every REST request against the installation's rate limits (and its secondary limit of 900
 * points a minute), so a push touching a thousand docs cannot be read blob by blob. The archive
 * streams through gunzip and a tar reader that keeps only the wanted files; each is checked
 * against its blob SHA from the tree, so what the engine reads is exactly that commit.
 * Returns the files found; the caller fetches any missing ones as blobs.
 */
export async function readFromArchive(
  gh: GitHub,
  repo: Repo,
  sha: string,
  wanted: readonly TreeEntry[],
): Promise<Map<string, Uint8Array>> {
  const byPath = new Map(wanted.map((e) => [e.path, e]));
  const { data } = await gh.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
    ...repo,
    ref: sha,
    // The redirect to the archive host is followed by fetch; the body is streamed, not buffered.
    request: { parseSuccessResponseBody: false },
  });
  const stream = Readable.fromWeb(
    data as unknown as import('node:stream/web').ReadableStream<Uint8Array>,
  ).pipe(createGunzip());
  const found = new Map<string, Uint8Array>();
  for await (const entry of tarEntries(stream, (path) => byPath.has(stripTop(path)))) {
    const path = stripTop(entry.path);
    const expected = byPath.get(path);
    if (expected && gitBlobId(entry.content) === expected.sha) found.set(path, entry.content);
  }
  return found;
}

/** GitHub's tarballs hold everything under one `<owner>-<repo>-<sha>/` folder. */
const stripTop = (path: string): string => path.slice(path.indexOf('/') + 1);

interface TarEntry {
  path: string;
  content: Uint8Array;
}

const BLOCK = 512;

/**
 * Regular files of a tar stream (ustar, with pax and GNU long names), yielding only those `keep`
 * accepts; the bytes of the rest are skipped, never held.
 */
async function* tarEntries(
  stream: AsyncIterable<Buffer>,
  keep: (path: string) => boolean,
): AsyncGenerator<TarEntry> {
  let buffer: Buffer = Buffer.alloc(0);
  let longName: string | undefined;
  const reader = stream[Symbol.asyncIterator]();
  /** Ensures `n` bytes are buffered; false at the end of the stream. */
  const fill = async (n: number): Promise<boolean> => {
    while (buffer.length < n) {
      const next = await reader.next();
      if (next.done) return false;
      buffer = buffer.length ? Buffer.concat([buffer, next.value]) : next.value;
    }
    return true;
  };
  /** Drops `n` bytes, reading through the stream without keeping what it skips. */
  const skip = async (n: number): Promise<void> => {
    while (n > 0) {
      if (buffer.length === 0 && !(await fill(1))) return;
      const take = Math.min(n, buffer.length);
      buffer = buffer.subarray(take);
      n -= take;
    }
  };
  const take = async (n: number): Promise<Buffer> => {
    if (!(await fill(n))) throw new Error('archive ended inside a file');
    const out = Buffer.from(buffer.subarray(0, n));
    buffer = buffer.subarray(n);
    return out;
  };

  while (await fill(BLOCK)) {
    const header = buffer.subarray(0, BLOCK);
    if (header.every((b) => b === 0)) return;
    buffer = buffer.subarray(BLOCK);
    const size = sizeOf(header);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156]!);
    const name = longName ?? headerPath(header);
    longName = undefined;
    if (type === 'x' || type === 'L') {
      const body = await take(padded);
      const text = body.subarray(0, size).toString('utf8');
      longName = type === 'L' ? text.replace(/\0+$/, '') : paxPath(text);
      continue;
    }
    if ((type === '0' || type === '\0') && keep(name)) {
      const body = await take(padded);
      yield { path: name, content: new Uint8Array(body.subarray(0, size)) };
      continue;
    }
    await skip(padded);
  }
}

function sizeOf(header: Buffer): number {
  const field = header.subarray(124, 136);
  // Base-256 (high bit set) for files of 8 GB and more; octal text otherwise.
  if (field[0]! & 0x80) return field.subarray(1).reduce((n, b) => n * 256 + b, 0);
  return Number.parseInt(field.toString('ascii').replace(/\0.*$/, '').trim() || '0', 8);
}

function headerPath(header: Buffer): string {
  const text = (from: number, to: number) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
  const name = text(0, 100);
  const prefix = header.subarray(257, 262).toString('ascii') === 'ustar' ? text(345, 500) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** The `path` record of a pax extended header (`<len> path=<value>\n`), if any. */
function paxPath(text: string): string | undefined {
  for (const record of text.split('\n')) {
    const match = /^\d+ path=(.*)$/s.exec(record);
    if (match) return match[1];
  }
  return undefined;
}
