import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { FactsCache } from '../model/facts-key.ts';
import type { DocFacts } from '../pipeline/facts.ts';

/**
 * Facts of unchanged docs, kept on disk between runs. One file per workspace, written atomically,
 * holding only the entries the last run used so it never grows beyond the workspace.
 *
 * Each entry stays the bytes it was stored as until a run asks for it, and a save copies the bytes of
 * entries it did not parse: after a one-doc change the run serialises one doc's facts, not every
 * doc's (see the record format below).
 */
export class FileFactsCache implements FactsCache {
  private readonly previous: Map<string, Uint8Array>;
  private readonly used = new Map<string, Uint8Array>();
  /** Facts decoded this run: the pool asks whether a doc is a hit, then the engine asks for its facts. */
  private readonly decoded = new Map<string, DocFacts>();
  private dirty = false;

  readonly file: string;

  constructor(file: string) {
    this.file = file;
    this.previous = readRecords(file);
  }

  static forWorkspace(root: string, env: NodeJS.ProcessEnv = process.env): FileFactsCache {
    return new FileFactsCache(cacheFile(root, 'facts', 'bin', env));
  }

  get(key: string): DocFacts | undefined {
    const known = this.decoded.get(key);
    if (known) return known;
    const stored = this.previous.get(key);
    const facts = stored && decodeFacts(stored);
    if (!stored || !facts) return undefined;
    this.used.set(key, stored);
    this.decoded.set(key, facts);
    return facts;
  }

  set(key: string, facts: DocFacts): void {
    this.used.set(key, serialize(facts));
    this.decoded.set(key, facts);
    this.dirty = true;
  }

  setEncoded(key: string, bytes: Uint8Array): void {
    this.used.set(key, bytes);
    this.dirty = true;
  }

  retain(key: string): void {
    const stored = this.previous.get(key);
    if (stored && !this.used.has(key)) this.used.set(key, stored);
  }

  save(): void {
    if (this.dirty || this.used.size !== this.previous.size)
      writeCacheFile(this.file, encodeRecords(this.used));
  }
}

/** Where a workspace's cache file of a kind lives: one per workspace root, outside the repo. */
export function cacheFile(
  root: string,
  kind: string,
  ext: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const base = env.IDSE_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'idse');
  const id = createHash('sha1').update(root).digest('hex').slice(0, 16);
  return join(base, `${kind}-${id}.${ext}`);
}

/**
 * Best effort, atomic: a reader never sees half a file, and a failure only costs speed. Chunks are
 * written as they come, each before the next is asked for.
 */
export function writeCacheFile(file: string, data: string | Uint8Array | Iterable<Uint8Array>): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(tmp, data);
    else writeChunks(tmp, data);
    renameSync(tmp, file);
  } catch {
    // Read-only home, full disk: results don't depend on the cache.
  }
}

function writeChunks(file: string, chunks: Iterable<Uint8Array>): void {
  const fd = openSync(file, 'w');
  try {
    for (const chunk of chunks)
      for (let done = 0; done < chunk.byteLength; )
        done += writeSync(fd, chunk, done, chunk.byteLength - done);
  } finally {
    closeSync(fd);
  }
}

/** The content keys a facts file holds, read from its records without decoding any facts. */
export function factsFileKeys(file: string): Set<string> {
  return new Set(readRecords(file).keys());
}

/**
 * The file: MAGIC, then one record per doc: key length (u16), key (ASCII), facts length (u32), the
 * facts as v8-serialised bytes. Records are found without decoding facts, so a run decodes only
 * what it reads and a save copies unchanged records as bytes.
 */
const MAGIC = Buffer.from('idse-facts/2\n');

/** Records are written in chunks of this size: a save never holds a second copy of every record. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The file in chunks, each valid until the next is asked for (one buffer is reused). A whole file
 * built at once held a copy of every doc's facts (24 MB at 8,000 docs) at the end of a cold run,
 * when the run's memory is at its highest.
 */
function* encodeRecords(records: ReadonlyMap<string, Uint8Array>): Generator<Uint8Array> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = MAGIC.copy(chunk, 0);
  for (const [key, facts] of records) {
    const head = 2 + key.length + 4;
    // A record that does not fit goes after what the chunk holds; one larger than a chunk on its own.
    const whole = head + facts.byteLength <= CHUNK_BYTES;
    if (at + (whole ? head + facts.byteLength : head) > CHUNK_BYTES) {
      yield chunk.subarray(0, at);
      at = 0;
    }
    at = chunk.writeUInt16LE(key.length, at);
    at += chunk.write(key, at, 'latin1');
    at = chunk.writeUInt32LE(facts.byteLength, at);
    if (whole) {
      chunk.set(facts, at);
      at += facts.byteLength;
    } else {
      yield chunk.subarray(0, at);
      yield facts;
      at = 0;
    }
  }
  if (at > 0) yield chunk.subarray(0, at);
}

/** Records of a facts file by key; none when the file is missing, of another format or cut short. */
function readRecords(file: string): Map<string, Uint8Array> {
  const records = new Map<string, Uint8Array>();
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return records;
  }
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return records;
  let at = MAGIC.length;
  while (at < data.length) {
    if (at + 2 > data.length) return new Map();
    const keyLength = data.readUInt16LE(at);
    const factsAt = at + 2 + keyLength + 4;
    if (factsAt > data.length) return new Map();
    const key = data.toString('latin1', at + 2, at + 2 + keyLength);
    const end = factsAt + data.readUInt32LE(at + 2 + keyLength);
    if (end > data.length) return new Map();
    records.set(key, data.subarray(factsAt, end));
    at = end;
  }
  return records;
}

/** One record's facts; undefined when its bytes do not decode (the doc is parsed again). */
function decodeFacts(bytes: Uint8Array): DocFacts | undefined {
  try {
    const value: unknown = deserialize(bytes);
    return value && typeof value === 'object' ? (value as DocFacts) : undefined;
  } catch {
    return undefined;
  }
}
