/**
 * What `idse sync` remembers between runs, per project, in .idse/sync-state.json: the last push (what
 * was sent, to show pending changes) and the last pull (the cursor, and the blob SHA of each file as
 * the agency last sent it, which is how a local edit is told from an untouched file). Written with a
 * temp file and a rename, so it is either the old state or the new one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFilesAtomically } from '../scaffold/write.ts';
import { ObjectIdSchema } from '../store/schema.ts';
import { SyncError } from './errors.ts';
import { SYNC_STATE_PATH } from './paths.ts';

const Files = z.record(z.string(), ObjectIdSchema);

const PushStateSchema = z.object({
  at: z.string(),
  commit_sha: ObjectIdSchema,
  ref: z.string(),
  sync_event_id: z.number().int(),
  /** Path → blob SHA of every file the push sent (rejected ones left out). */
  files: Files,
});
export type PushState = z.infer<typeof PushStateSchema>;

const ConflictSchema = z.object({
  /** The agency's version, saved beside the local file. */
  incoming: z.string(),
  blob_sha: ObjectIdSchema,
  at: z.string(),
});
export type Conflict = z.infer<typeof ConflictSchema>;

const PullStateSchema = z.object({
  at: z.string(),
  cursor: z.number().int().min(0),
  /** Path → blob SHA the agency last sent for it: a local file with another SHA was edited here. */
  files: Files,
  conflicts: z.record(z.string(), ConflictSchema).default({}),
});
export type PullState = z.infer<typeof PullStateSchema>;

const ProjectStateSchema = z.object({ push: PushStateSchema.optional(), pull: PullStateSchema.optional() });
export type ProjectState = z.infer<typeof ProjectStateSchema>;

export const SyncStateSchema = z.object({
  version: z.literal(1),
  projects: z.record(z.string(), ProjectStateSchema),
});
export type SyncState = z.infer<typeof SyncStateSchema>;

export function readSyncState(root: string): SyncState {
  let text: string;
  try {
    text = readFileSync(join(root, SYNC_STATE_PATH), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, projects: {} };
    throw new SyncError('sync-state-invalid', `cannot read ${SYNC_STATE_PATH}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = SyncStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new SyncError(
      'sync-state-invalid',
      `${SYNC_STATE_PATH} is not a sync state idse wrote; delete it to start over (the next pull then treats every pulled file as possibly edited)`,
    );
  }
  return parsed.data;
}

export function writeSyncState(root: string, state: SyncState): void {
  writeFilesAtomically(root, new Map([[SYNC_STATE_PATH, `${JSON.stringify(state, null, 2)}\n`]]), {
    force: true,
  });
}
