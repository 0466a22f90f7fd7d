import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { FactsCache } from '../model/build.ts';
import type { DocFacts } from '../pipeline/facts.ts';

/**
 * Facts of unchanged docs, kept on disk between runs. One file per workspace, written atomically,
 * holding only the entries the last run used so it never grows beyond the workspace.
 */
export class FileFactsCache implements FactsCache {
  private readonly previous: Map<string, DocFacts>;
  private readonly used = new Map<string, DocFacts>();
  private dirty = false;

  readonly file: string;

  constructor(file: string) {
    this.file = file;
    this.previous = load(file);
  }

  static forWorkspace(root: string, env: NodeJS.ProcessEnv = process.env): FileFactsCache {
    return new FileFactsCache(cacheFile(root, 'facts', 'bin', env));
  }

  get(key: string): DocFacts | undefined {
    const facts = this.previous.get(key);
    if (facts) this.used.set(key, facts);
    return facts;
  }

  set(key: string, facts: DocFacts): void {
    this.used.set(key, facts);
    this.dirty = true;
  }

  save(): void {
    if (this.dirty || this.used.size !== this.previous.size) writeCacheFile(this.file, serialize(this.used));
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

/** Best effort, atomic: a reader never sees half a file, and a failure only costs speed. */
export function writeCacheFile(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // Read-only home, full disk: results don't depend on the cache.
  }
}

function load(file: string): Map<string, DocFacts> {
  try {
    const value: unknown = deserialize(readFileSync(file));
    return value instanceof Map ? (value as Map<string, DocFacts>) : new Map();
  } catch {
    return new Map();
  }
}
