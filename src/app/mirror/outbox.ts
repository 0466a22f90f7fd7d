/**
 * Mirror writes that could not reach the store, kept on local disk until it is back. The store is
 * the one thing that is down in this case, so the outbox can't live in it: each pending write is one
 * JSON file, written to a temp name, flushed and renamed, so a crash leaves a whole entry or none.
 * Replays are safe to repeat: every write carries its webhook's delivery id, and the store ignores a
 * delivery it has seen.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isStoreError } from '../../store/errors.ts';
import { InstallationEventSchema, ValidationMirrorSchema } from '../../store/schema.ts';

export const OutboxEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('installation'), payload: InstallationEventSchema }),
  z.object({ kind: z.literal('validation'), payload: ValidationMirrorSchema }),
]);
export type OutboxEntry = z.input<typeof OutboxEntrySchema>;
type ParsedEntry = z.output<typeof OutboxEntrySchema>;

export interface DrainResult {
  replayed: number;
  /** Entries still waiting (the store failed again). */
  left: number;
  /** Entries the store refused for good (moved to `failed/` with the reason). */
  rejected: number;
}

export class FileOutbox {
  readonly dir: string;
  private sequence = 0;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Keeps `entry` durably: when this returns, it is on disk. */
  put(entry: OutboxEntry): void {
    mkdirSync(this.dir, { recursive: true });
    // Names sort in the order entries were put (time, then a per-process counter), so installation
    // events replay in the order they happened.
    const name = `${String(Date.now()).padStart(15, '0')}-${String(this.sequence++).padStart(6, '0')}-${digest(entry.payload.delivery_id)}.json`;
    const temp = join(this.dir, `.${name}.tmp`);
    writeDurably(temp, JSON.stringify(entry));
    renameSync(temp, join(this.dir, name));
    syncDir(this.dir);
  }

  /** Names of the entries waiting, oldest first. */
  pending(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((n) => n.endsWith('.json'))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /**
   * Replays waiting entries in order through `write`. Stops when the store is unreachable (later
   * entries would fail too). An entry that meets a conflict stays for the next replay and the rest go
   * on, so one entry that cannot land yet (its installation not recorded) never holds up the others;
   * entries that depend on it fail alike and keep their order. An entry the store refuses for good
   * goes to `failed/` beside a note of why.
   */
  async drain(write: (entry: ParsedEntry) => Promise<void>): Promise<DrainResult> {
    const names = this.pending();
    let replayed = 0;
    let rejected = 0;
    let kept = 0;
    for (const [i, name] of names.entries()) {
      const file = join(this.dir, name);
      const raw = readJson(file);
      const parsed = raw === undefined ? undefined : OutboxEntrySchema.safeParse(raw);
      if (!parsed?.success) {
        this.reject(name, `unreadable entry: ${parsed?.error.issues[0]?.message ?? 'not JSON'}`);
        rejected++;
        continue;
      }
      try {
        await write(parsed.data);
      } catch (error) {
        if (!isStoreError(error) || error.code === 'store-unavailable') {
          return { replayed, left: kept + names.length - i, rejected };
        }
        if (error.retryable) {
          kept++;
          continue;
        }
        this.reject(name, error.format());
        rejected++;
        continue;
      }
      rmSync(file, { force: true });
      replayed++;
    }
    return { replayed, left: kept, rejected };
  }

  private reject(name: string, reason: string): void {
    const failed = join(this.dir, 'failed');
    mkdirSync(failed, { recursive: true });
    renameSync(join(this.dir, name), join(failed, name));
    writeDurably(join(failed, `${name}.reason.txt`), `${reason}\n`);
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A rename is durable once the directory holding it is flushed too. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
